/** Shown for a section of the site whose capability has not been built yet, saying so plainly. */
export function AreaPending({ title, text }: { title: string; text: string }) {
  return (
    <div className="page">
      <h1>{title}</h1>
      <p className="lead">{text}</p>
      <p className="notice" role="status">
        Dieser Bereich wird gerade aufgebaut und ist bald für dich da.
      </p>
    </div>
  );
}
