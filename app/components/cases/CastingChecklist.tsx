/**
 * While the group forms, everyone in it sees what is still missing before the consultation can start and who can
 * do it; once nothing is missing, who can start it.
 */
export function CastingChecklist({ needs, starters }: { needs: string[]; starters: string }) {
  if (needs.length === 0) {
    return (
      <p className="casting-ready" role="status">
        Die Gruppe steht. {starters}
      </p>
    );
  }
  return (
    <div className="casting-needs" role="status">
      <h3 className="casting-needs__title">Was noch fehlt</h3>
      <ul>
        {needs.map((need) => (
          <li key={need}>{need}</li>
        ))}
      </ul>
    </div>
  );
}
