import { createContext, useContext } from "react";

/** The CSP nonce of this response; provided by entry.server, empty in the browser (which hides nonces anyway). */
export const NonceContext = createContext<string>("");

export function useNonce(): string {
  return useContext(NonceContext);
}
