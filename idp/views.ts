/** HTML for the local identity provider's pages. Every interpolated value goes through `escape`. */

export function escape(value: unknown): string {
  return String(value)
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

const STYLE = `
  *{box-sizing:border-box}
  body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",sans-serif;background:#0f172a;color:#0f172a;display:flex;min-height:100vh;align-items:center;justify-content:center;padding:24px}
  main{background:#fff;border-radius:12px;max-width:420px;width:100%;padding:28px;box-shadow:0 10px 30px rgba(0,0,0,.3)}
  .badge{display:inline-block;font-size:12px;font-weight:600;letter-spacing:.04em;text-transform:uppercase;background:#fef3c7;color:#92400e;border-radius:999px;padding:2px 10px}
  h1{font-size:22px;margin:12px 0 4px} p{color:#475569;line-height:1.5}
  label{display:block;font-size:14px;font-weight:600;margin:14px 0 4px}
  input{width:100%;padding:10px;border:1px solid #cbd5e1;border-radius:8px;font-size:15px}
  button{margin-top:18px;width:100%;padding:11px;border:0;border-radius:8px;background:#4f46e5;color:#fff;font-size:15px;font-weight:600;cursor:pointer}
  button.secondary{background:#e2e8f0;color:#0f172a}
  table{width:100%;border-collapse:collapse;font-size:14px;margin-top:8px} td,th{text-align:left;padding:6px 4px;border-bottom:1px solid #e2e8f0}
  code{background:#f1f5f9;padding:1px 5px;border-radius:4px}
  .error{background:#fee2e2;color:#991b1b;padding:10px;border-radius:8px;margin-top:12px}
  a{color:#4f46e5}
`;

export function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)} · local identity provider</title><style>${STYLE}</style></head>
<body><main><span class="badge">Local IdP · development only</span>${body}</main></body></html>`;
}
