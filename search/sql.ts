/**
 * An array parameter as a PostgreSQL array literal. drizzle's sql template spreads JS arrays into a list of
 * parameters, and PGlite and postgres.js serialise array parameters differently; one text literal cast in SQL
 * (`${pgArray(ids)}::uuid[]`) behaves the same on both.
 */
export function pgArray(values: readonly (string | number)[]): string {
  return `{${values.map((v) => `"${String(v).replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`).join(",")}}`;
}
