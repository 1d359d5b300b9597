/** A progress bar on stderr for CLIs; without a terminal only the final state is written. */
export function progressBar(label = ""): (done: number, total: number) => void {
  return (done, total) => {
    if (!process.stderr.isTTY && done !== total) return;
    const width = 30;
    const filled = Math.round((done / Math.max(total, 1)) * width);
    process.stderr.write(
      `\r${label}[${"#".repeat(filled)}${".".repeat(width - filled)}] ${done}/${total}${done === total ? "\n" : ""}`,
    );
  };
}
