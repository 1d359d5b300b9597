export type DigestPeriod = "daily" | "weekly";
