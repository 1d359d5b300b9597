import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes, TextareaHTMLAttributes } from "react";

interface Common {
  name: string;
  label: string;
  error?: string;
  hint?: ReactNode;
}

function describedBy(name: string, error?: string, hint?: ReactNode): string | undefined {
  const ids = [hint ? `${name}-hinweis` : null, error ? `${name}-fehler` : null].filter(Boolean);
  return ids.length ? ids.join(" ") : undefined;
}

function Extras({ name, error, hint }: Omit<Common, "label">) {
  return (
    <>
      {hint ? (
        <p id={`${name}-hinweis`} className="field__hint">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={`${name}-fehler`} className="field__error">
          {error}
        </p>
      ) : null}
    </>
  );
}

/** A labelled input whose error is tied to it for screen readers (aria-invalid, aria-describedby). */
export function Field({ name, id, label, error, hint, ...rest }: Common & InputHTMLAttributes<HTMLInputElement>) {
  const fieldId = id ?? name;
  return (
    <div className="field">
      <label htmlFor={fieldId}>{label}</label>
      <input
        id={fieldId}
        name={name}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(fieldId, error, hint)}
        {...rest}
      />
      <Extras name={fieldId} error={error} hint={hint} />
    </div>
  );
}

export function TextareaField({
  name,
  label,
  error,
  hint,
  ...rest
}: Common & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  return (
    <div className="field">
      <label htmlFor={name}>{label}</label>
      <textarea
        id={name}
        name={name}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(name, error, hint)}
        {...rest}
      />
      <Extras name={name} error={error} hint={hint} />
    </div>
  );
}

export function SelectField({
  name,
  label,
  error,
  hint,
  options,
  ...rest
}: Common & SelectHTMLAttributes<HTMLSelectElement> & { options: { value: string; label: string }[] }) {
  return (
    <div className="field">
      <label htmlFor={name}>{label}</label>
      <select
        id={name}
        name={name}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(name, error, hint)}
        {...rest}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <Extras name={name} error={error} hint={hint} />
    </div>
  );
}

export function FormError({ message }: { message?: string }) {
  if (!message) return null;
  return (
    <div role="alert" className="notice notice--error">
      {message}
    </div>
  );
}
