import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { html } from 'diff2html';

const require = createRequire(import.meta.url);

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * One self-contained page (CSS inlined, no script, no network) showing a git-style patch side by
 * side with diff2html, so it opens offline from a temp folder or an email attachment.
 */
export function renderDiffPage(
  patch: string,
  title: string,
  summary: string,
  /** One line each for what the patch leaves out (files not carried, collapsed prose). */
  collapsed: string[] = [],
): string {
  const css = readFileSync(require.resolve('diff2html/bundles/css/diff2html.min.css'), 'utf8');
  const body = patch
    ? html(patch, { outputFormat: 'side-by-side', drawFileList: true, matching: 'lines' })
    : '<p>No differences in the code (after filtering node_modules, lockfiles, build output and package names).</p>';
  const notes =
    collapsed.length === 0
      ? ''
      : `<ul class="collapsed">\n${collapsed.map((line) => `<li>${escapeHtml(line)}</li>`).join('\n')}\n</ul>\n`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${css}</style>
<style>
  body { font-family: system-ui, sans-serif; margin: 1.5rem; color: #24292f; }
  h1 { font-size: 1.4rem; margin: 0 0 .25rem; }
  .summary { color: #57606a; margin: 0 0 1rem; }
  .collapsed { color: #57606a; margin: 0 0 1rem; font-family: ui-monospace, monospace; }
</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<p class="summary">${escapeHtml(summary)}</p>
${body}
${notes}
</body>
</html>
`;
}
