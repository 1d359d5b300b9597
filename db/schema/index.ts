export * from "./accounts.ts";
export * from "./community.ts";
export * from "./realtime.ts";
export * from "./discussions.ts";
export * from "./library.ts";
export * from "./rounds.ts";
export * from "./mail.ts";
