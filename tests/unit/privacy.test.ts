import { describe, expect, it } from "vitest";
import { FORMER_MEMBER, withoutMentionOf } from "../../app/domain/richtext/forget.ts";

const mention = (id: string, label: string) => ({ type: "mention", attrs: { id, label } });

describe("mentions of a deleted member", () => {
  it("become plain text without name or handle, keeping marks and everyone else's mentions", () => {
    const doc = {
      type: "doc",
      content: [
        {
          type: "paragraph",
          content: [
            { type: "text", text: "Danke " },
            { ...mention("anna-b", "Anna B."), marks: [{ type: "bold" }] },
            { type: "text", text: " und " },
            mention("jonas", "Jonas"),
          ],
        },
        {
          type: "bulletList",
          content: [{ type: "listItem", content: [{ type: "paragraph", content: [mention("anna-b", "Anna B.")] }] }],
        },
      ],
    };
    const { value, changed } = withoutMentionOf(doc, "anna-b");
    expect(changed).toBe(true);
    const text = JSON.stringify(value);
    expect(text).not.toContain("anna-b");
    expect(text).not.toContain("Anna B.");
    expect(text).toContain('"id":"jonas"');
    expect((value as typeof doc).content[0].content![1]).toEqual({
      type: "text",
      text: `@${FORMER_MEMBER}`,
      marks: [{ type: "bold" }],
    });
    // The original is not modified.
    expect(JSON.stringify(doc)).toContain("anna-b");
  });

  it("works on any wrapping (drafts store title and body) and leaves documents without the mention as they are", () => {
    const draft = {
      title: "Frage",
      body: { type: "doc", content: [{ type: "paragraph", content: [mention("ANNA-B", "Anna")] }] },
    };
    expect(JSON.stringify(withoutMentionOf(draft, "anna-b").value)).not.toContain("Anna");
    const other = { type: "doc", content: [{ type: "paragraph", content: [mention("jonas", "Jonas")] }] };
    const result = withoutMentionOf(other, "anna-b");
    expect(result).toEqual({ value: other, changed: false });
    expect(result.value).toBe(other);
  });
});
