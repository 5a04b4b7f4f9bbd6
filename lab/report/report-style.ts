// The report's stylesheet, inlined so the file stands alone: the colours say what a reader of the UART
// could see (orange plaintext, red credentials, blue handshake in clear, green ciphertext).
export const REPORT_CSS = `
:root { --plain: #ea580c; --plain-bg: #fff4ec; --cipher: #059669; --cipher-bg: #ecfdf5;
  --hs: #2563eb; --hs-bg: #eff6ff; --secret: #dc2626; --secret-bg: #fef2f2; --at: #6b7280; --urc: #7c3aed;
  --mixed: #ca8a04; --line: #e5e7eb; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0; color: #111827; background: #f9fafb; }
header.top { background: #111827; color: #f9fafb; padding: 16px 24px; }
header.top h1 { margin: 0 0 4px; font-size: 20px; }
header.top p { margin: 0; color: #d1d5db; }
main { padding: 16px 24px 48px; }
section { scroll-margin-top: 56px; background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 16px; margin: 0 0 20px; }
h2 { font-size: 17px; margin: 0 0 8px; }
h3 { font-size: 15px; margin: 16px 0 6px; }
code, pre, .mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 12.5px; }
table { border-collapse: collapse; }
table.summary td, table.summary th { border-bottom: 1px solid var(--line); padding: 4px 10px; text-align: left; vertical-align: top; }
table.summary th { background: #f3f4f6; }
td.flag { color: var(--secret); font-weight: 600; }
.verdicts { display: flex; flex-wrap: wrap; gap: 8px; margin: 6px 0 10px; }
.verdict { border-radius: 999px; padding: 3px 12px; font-weight: 600; border: 1px solid; }
.verdict.good { color: var(--cipher); background: var(--cipher-bg); }
.verdict.bad { color: var(--secret); background: var(--secret-bg); }
.verdict.info { color: #374151; background: #f3f4f6; }
.bar { display: flex; height: 22px; border-radius: 4px; overflow: hidden; border: 1px solid var(--line); margin: 4px 0; max-width: 900px; }
.bar span { display: block; height: 100%; }
.seg-at { background: #d1d5db; } .seg-hs { background: var(--hs); } .seg-cipher { background: var(--cipher); }
.seg-plain { background: var(--plain); } .seg-upload { background: var(--secret); }
.legend { display: flex; flex-wrap: wrap; gap: 14px; font-size: 12.5px; color: #374151; }
.legend i { display: inline-block; width: 12px; height: 12px; border-radius: 2px; margin-right: 4px; vertical-align: -1px; }
ul.secrets li { color: var(--secret); font-weight: 600; }
h4 { font-size: 13px; margin: 12px 0 4px; color: #374151; }
.costs { display: flex; flex-wrap: wrap; gap: 10px; align-items: flex-start; margin: 4px 0 8px; }
.cost { flex: 0 1 auto; min-width: 200px; border: 1px solid var(--line); border-radius: 6px; padding: 8px 12px; background: #fcfcfd; }
.cost h4 { margin: 0 0 4px; font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: var(--at); }
.cost table { width: 100%; }
.cost th { font-weight: normal; color: #374151; text-align: left; padding: 1px 16px 1px 0; font-size: 12.5px; white-space: nowrap; }
.cost th i { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 4px; vertical-align: -1px; }
.cost td { text-align: right; font-variant-numeric: tabular-nums; font-weight: 600; padding: 1px 0; white-space: nowrap; }
.bar.small { height: 10px; margin: 6px 0 0; }
.cost p.note { margin: 4px 0 0; max-width: 260px; font-size: 12px; color: var(--at); }
.seg-headers { background: #9ca3af; } .seg-other { background: var(--mixed); }
.controls { position: sticky; top: 0; z-index: 2; background: #f9fafb; padding: 8px 0; display: flex; gap: 16px; align-items: center; flex-wrap: wrap; border-bottom: 1px solid var(--line); }
.controls input[type=search] { padding: 4px 8px; min-width: 240px; }
table.timeline { width: 100%; table-layout: fixed; }
table.timeline th { position: sticky; top: 44px; background: #f3f4f6; text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); z-index: 1; }
table.timeline td { padding: 1px 8px; font-size: 13px; vertical-align: top; border-bottom: 1px solid #f3f4f6; word-break: break-all; }
table.timeline col.t { width: 96px; } table.timeline td.t { color: var(--at); text-align: right; font-variant-numeric: tabular-nums; }
tr.at td.cell { color: #374151; } tr.echo td.cell, tr.prompt td.cell { color: #9ca3af; }
tr.urc td.cell { color: var(--urc); }
tr.stray td.cell { color: var(--mixed); }
.tag { font-size: 11px; border-radius: 4px; padding: 0 5px; margin-left: 6px; border: 1px solid currentColor; font-family: system-ui, sans-serif; }
.phase { border-left: 4px solid; border-radius: 4px; padding: 4px 8px; margin: 2px 0; }
.phase.plaintext { border-color: var(--plain); background: var(--plain-bg); }
.phase.tls { border-color: var(--cipher); background: var(--cipher-bg); }
.phase.tls.clear-hs { border-color: var(--hs); background: var(--hs-bg); }
.phase.upload, .phase.has-secret { border-color: var(--secret); background: var(--secret-bg); }
.phase.mixed { border-color: var(--mixed); background: #fefce8; }
.ph-head { font-weight: 600; }
.badge { display: inline-block; white-space: nowrap; word-break: normal; font-size: 11px; font-weight: 700; color: #fff; border-radius: 4px; padding: 1px 6px; margin-left: 6px; }
.badge.plaintext { background: var(--plain); } .badge.tls { background: var(--cipher); } .badge.hs { background: var(--hs); }
.sequence { overflow-x: auto; margin: 6px 0 14px; }
.sequence svg { font: 11px ui-monospace, Menlo, Consolas, monospace; background: #fff; }
.sequence .lane { font: 600 13px system-ui, sans-serif; fill: #111827; }
.sequence .life { stroke: #d1d5db; stroke-dasharray: 4 3; }
.sequence .t { fill: #6b7280; }
.sequence .seq line { stroke-width: 1.5; }
.seq.at line { stroke: var(--at); } .seq.at path { fill: var(--at); } .seq.at .label { fill: #374151; }
.seq.urc line { stroke: var(--urc); } .seq.urc path { fill: var(--urc); } .seq.urc .label { fill: var(--urc); }
.seq.tls line { stroke: var(--cipher); } .seq.tls path { fill: var(--cipher); } .seq.tls .label { fill: var(--cipher); }
.seq.plaintext line { stroke: var(--plain); } .seq.plaintext path { fill: var(--plain); } .seq.plaintext .label { fill: var(--plain); }
.seq.upload line { stroke: var(--secret); } .seq.upload path { fill: var(--secret); } .seq.upload .label { fill: var(--secret); }
.seq.certificate line { stroke: #64748b; } .seq.certificate path { fill: #64748b; } .seq.certificate .label { fill: #475569; }
.seq.mixed line { stroke: var(--mixed); } .seq.mixed path { fill: var(--mixed); } .seq.mixed .label { fill: var(--mixed); }
.seq.net line { stroke: var(--hs); } .seq.net path { fill: var(--hs); } .seq.net .label { fill: var(--hs); }
.badge.upload { background: #991b1b; } .badge.secret { background: var(--secret); } .badge.cert { background: #e5e7eb; color: #374151; } .badge.mixed { background: var(--mixed); }
ul.recs { list-style: none; margin: 2px 0; padding: 0; }
ul.recs li { display: inline-block; margin: 1px 4px 1px 0; padding: 0 6px; border-radius: 4px; font-size: 12px; }
li.rec-clear { background: #dbeafe; color: #1e3a8a; } li.rec-enc { background: #d1fae5; color: #065f46; }
li.rec-alert { background: #fee2e2; color: #991b1b; }
.text { white-space: pre-wrap; color: #7c2d12; }
details summary { cursor: pointer; color: var(--at); font-size: 12px; }
pre.hex { margin: 4px 0; white-space: pre; overflow-x: auto; }
body.hide-at tr.at, body.hide-at tr.echo, body.hide-at tr.prompt { display: none; }
body.hide-urc tr.urc { display: none; }
body.hide-data tr.data { display: none; }
tr.nomatch { display: none; }
nav.runs a { color: #93c5fd; margin-right: 14px; }
ul.warnings { color: var(--mixed); }
`;
