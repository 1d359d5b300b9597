import { Form, useNavigation } from "@remix-run/react";
import { PASSWORD_MIN_LENGTH } from "../domain/accounts.ts";
import { Field, FormError } from "./Field.tsx";

/** The new-account form shared by invitations and open registration. */
export function AccountForm({
  errors = {},
  values = {},
  submitLabel,
}: {
  errors?: Record<string, string>;
  values?: Record<string, string>;
  submitLabel: string;
}) {
  const busy = useNavigation().state === "submitting";
  return (
    <>
      <FormError message={errors.form} />
      <Form method="post" className="form card" noValidate>
        <Field
          name="displayName"
          label="Dein Name"
          autoComplete="name"
          required
          defaultValue={values.displayName}
          error={errors.displayName}
          hint="So sehen dich die anderen Mitglieder."
        />
        <Field
          name="handle"
          label="Kurzname"
          autoComplete="username"
          required
          defaultValue={values.handle}
          error={errors.handle}
          hint="Für @Erwähnungen und deine Profiladresse, z. B. sevgi-schneider."
        />
        <Field
          name="email"
          label="E-Mail-Adresse"
          type="email"
          autoComplete="email"
          required
          defaultValue={values.email}
          error={errors.email}
        />
        <Field
          name="password"
          label="Passwort"
          type="password"
          autoComplete="new-password"
          required
          minLength={PASSWORD_MIN_LENGTH}
          error={errors.password}
          hint={`Mindestens ${PASSWORD_MIN_LENGTH} Zeichen.`}
        />
        <div>
          <button type="submit" className="button" disabled={busy}>
            {submitLabel}
          </button>
        </div>
      </Form>
    </>
  );
}
