import { z } from "zod";

// zod probes `new Function` (for its JIT) the first time an object schema is built. Our CSP forbids eval in the
// browser, and Chromium reports the probe as a CSP violation even though zod catches it; so no JIT there.
// Every schema module imports z from here, so the setting is in place before any schema exists.
if (typeof document !== "undefined") z.config({ jitless: true });

export { z };
