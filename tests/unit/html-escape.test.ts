/** The one HTML escaper (app/domain/html.ts), used for text and quoted attribute values alike. */
import { describe, expect, it } from "vitest";
import { escapeHtml } from "../../app/domain/html.ts";

describe("escapeHtml", () => {
  it("escapes all five characters, each one alone and mixed with text", () => {
    expect(escapeHtml("&")).toBe("&amp;");
    expect(escapeHtml("<")).toBe("&lt;");
    expect(escapeHtml(">")).toBe("&gt;");
    expect(escapeHtml('"')).toBe("&quot;");
    expect(escapeHtml("'")).toBe("&#39;");
    expect(escapeHtml(`Tom & Jerry's <b class="x">`)).toBe("Tom &amp; Jerry&#39;s &lt;b class=&quot;x&quot;&gt;");
  });

  it("escapes an ampersand once, so an entity typed as text stays text", () => {
    expect(escapeHtml("&amp; &lt;")).toBe("&amp;amp; &amp;lt;");
  });

  it("keeps attribute values closed: no quote of either kind survives", () => {
    const value = escapeHtml(`" onmouseover="alert(1)' x='`);
    expect(value).not.toMatch(/["']/);
    expect(`<a title="${value}">`).toBe('<a title="&quot; onmouseover=&quot;alert(1)&#39; x=&#39;">');
  });

  it("returns the very same string when there is nothing to escape (the fast path)", () => {
    // A string built at run time, so identity is not just the interning of one literal.
    const name = ["Ülkü", "Öztürk-Schäfer"].join(" ");
    expect(escapeHtml(name)).toBe(name);
    expect(Object.is(escapeHtml(name), name)).toBe(true);
    expect(escapeHtml("")).toBe("");
  });

  it("leaves other characters alone (umlauts, emoji, line breaks)", () => {
    expect(escapeHtml("Grüße 👋\n<")).toBe("Grüße 👋\n&lt;");
  });

  it("writes non-string input as text and null/undefined as nothing", () => {
    expect(escapeHtml(42)).toBe("42");
    expect(escapeHtml(0)).toBe("0");
    expect(escapeHtml(false)).toBe("false");
    expect(escapeHtml(null)).toBe("");
    expect(escapeHtml(undefined)).toBe("");
    expect(escapeHtml({ toString: () => "<x>" })).toBe("&lt;x&gt;");
  });
});
