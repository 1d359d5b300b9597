/**
 * The contract every search engine implements (PostgreSQL by default, Meilisearch with MEILISEARCH_URL).
 * tests/search/contract.test.ts runs the same cases against each available engine.
 */
import type { searchKinds, searchVisibilities } from "../db/schema/search.ts";

export type SearchKind = (typeof searchKinds)[number];
export type Visibility = (typeof searchVisibilities)[number];

/** A searchable thing, already reduced to what may be shown to those with the given visibility. */
export interface SearchDocument {
  key: string; // "<kind>:<id>"
  kind: SearchKind;
  refId: string;
  visibility: Visibility;
  /** Shown with the hit. A reply carries its thread's title, which engines show but do not search. */
  title: string;
  /** Weighted like the title's supporting text: a material's summary, a member's role and region. */
  lead: string;
  body: string;
  /** Long text that should be found but weigh little: transcripts, text inside PDFs. */
  extra: string;
  url: string;
  room: string | null;
  materialType: string | null;
  ilbStep: string | null;
  competenceArea: string | null;
  audience: string | null;
  answered: boolean;
  boost: number;
  freshUntil: string | null; // YYYY-MM-DD
  date: Date;
}

export const timeRanges = ["7t", "30t", "12m"] as const;
export type TimeRange = (typeof timeRanges)[number];
export const timeRangeDays: Record<TimeRange, number> = { "7t": 7, "30t": 30, "12m": 365 };

export interface SearchFilters {
  kind?: SearchKind;
  materialType?: string;
  ilbStep?: string;
  competenceArea?: string;
  audience?: string;
  room?: string;
  time?: TimeRange;
}

export interface SearchRequest {
  q: string;
  filters: SearchFilters;
  sort: "relevance" | "date";
  page: number; // 1-based
  perPage: number;
  /** What the viewer may read: members see "members" documents, moderators both. */
  visibilities: Visibility[];
  /** "similar": any word may match (ask before you post); only answered threads and materials. */
  mode?: "all" | "similar";
  /** Engines compare against this instead of the wall clock (time-range filters, fresh materials). */
  now?: Date;
}

export interface SearchHit {
  type: SearchKind;
  id: string;
  title: string;
  url: string;
  /** HTML-escaped text with the matched words wrapped in <mark>. */
  snippet: string;
  date: string;
}

export type FacetName = "kind" | "materialType" | "ilbStep" | "competenceArea" | "audience" | "room" | "time";
export type Facets = Record<FacetName, Record<string, number>>;

export interface SearchResult {
  total: number;
  hits: SearchHit[];
  facets: Facets;
  didYouMean: string | null;
}

export interface SearchEngine {
  readonly name: "postgres" | "meilisearch";
  upsert(documents: SearchDocument[]): Promise<void>;
  remove(keys: string[]): Promise<void>;
  /** Removes every document (before a full reindex). */
  clear(): Promise<void>;
  search(request: SearchRequest): Promise<SearchResult>;
  /** Synonym groups changed (moderators' editor); engines that keep a copy update it. */
  synonymsChanged(groups: string[][]): Promise<void>;
}

export function emptyFacets(): Facets {
  return { kind: {}, materialType: {}, ilbStep: {}, competenceArea: {}, audience: {}, room: {}, time: {} };
}

export function emptyResult(): SearchResult {
  return { total: 0, hits: [], facets: emptyFacets(), didYouMean: null };
}
