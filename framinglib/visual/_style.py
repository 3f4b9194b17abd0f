"""The pictures' CSS: one ``<style>`` block, every selector under the ``fcv`` class prefix.

Scoped this way it renders the same in JupyterLab, in nbconvert's HTML and in
the grader's feedback pages, and touches nothing else on those pages. Colours
are dark on light with high contrast; every distinction they draw (header or
payload, new or old, stuck or not) is also made by a pattern, a border or a
caption, never by colour alone.
"""

STYLE = """<style>
.fcv{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;font-size:13px;
 color:#1b1b1b;background:#fff;border:1px solid #b9b9b9;border-radius:6px;padding:8px 10px;
 line-height:1.3;overflow-x:auto;box-sizing:border-box;max-width:100%}
.fcv *{box-sizing:border-box}
.fcv-title{font-weight:700;font-size:14px;margin:0 0 4px}
.fcv-why{margin:0 0 6px;font-size:13.5px}
.fcv-badge{display:inline-block;padding:0 7px;margin-right:6px;border:1px solid #444;
 border-radius:9px;background:#f3f3f3;font-size:11px;font-weight:700;letter-spacing:.02em}
.fcv-badge.fcv-ok{background:#e4f4e4;border-color:#1f5f1f;color:#113d11}
.fcv-badge.fcv-bad{background:#fde8e8;border-color:#9b1c1c;color:#6b0f0f}
.fcv-lane{display:grid;grid-template-columns:9.5em minmax(0,1fr);gap:8px;align-items:start;
 padding:6px 0;border-top:1px solid #e0e0e0}
.fcv-lname{font-weight:700;color:#1b1b1b}
.fcv-lname small{display:block;font-weight:400;color:#444;font-size:11.5px}
.fcv-lbody{display:flex;flex-wrap:wrap;gap:6px;align-items:flex-end;min-height:2.4em}
.fcv-stack{display:block;width:100%}
.fcv-fs{margin-left:5px}
.fcv-empty{color:#555;font-style:italic;align-self:center}
.fcv-frame,.fcv-chunk{display:inline-flex;flex-direction:column;border:1px solid #666;
 border-radius:4px;padding:1px 4px 3px;background:#fafafa}
.fcv-chunk{border-style:solid;border-color:#333;background:#fff}
.fcv-frame.fcv-alt{background:#eef2f8}
.fcv-frame.fcv-stuck{border:2px dashed #9b1c1c;background:#fdf0f0}
.fcv-cap{font-size:11px;color:#2a2a2a;white-space:nowrap}
.fcv-stuck>.fcv-cap{color:#7a1010;font-weight:700}
.fcv-row{display:flex;gap:4px;align-items:flex-start}
.fcv-run{display:inline-flex;flex-direction:column;align-items:flex-start}
.fcv-cells{display:flex;gap:1px}
.fcv-sub{font-size:10.5px;color:#3a3a3a;white-space:nowrap}
.fcv-b{display:inline-block;min-width:2em;height:2.1em;line-height:1.95em;padding:0 2px;
 text-align:center;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;
 font-size:14px;border:1px solid #888;border-radius:2px;white-space:pre}
.fcv-h{background:repeating-linear-gradient(135deg,#f3bd4a 0 2px,#fff3d1 2px 6px);
 border-color:#8a5a00;color:#2b1c00;font-size:12.5px;font-weight:700}
.fcv-d{background:repeating-linear-gradient(45deg,#c9b3f0 0 2px,#f1eafd 2px 6px);
 border-color:#5b2ca0;color:#2a0f57;font-size:12.5px;font-weight:700}
.fcv-p{background:#dce9ff;border-color:#2f5fa8;color:#0a214d;font-weight:700}
.fcv-np{font-weight:400;font-style:italic;font-size:11.5px}
.fcv-u{background:#ececec;color:#333}
.fcv-new{border-bottom:4px solid #1b1b1b}
.fcv-miss{border:1px dashed #6d6d6d;background:transparent;color:#555}
.fcv-i{display:block;font-size:9.5px;color:#555;text-align:center;line-height:1.1}
.fcv-cut{align-self:center;font-size:15px;color:#1b1b1b;padding:0 1px}
.fcv-gap{align-self:center;color:#3a3a3a;font-style:italic;white-space:nowrap;font-size:12px}
.fcv-done{display:inline-flex;flex-direction:column;border:1px solid #2d6a2d;border-radius:4px;
 padding:1px 6px 3px;background:#e9f6e9}
.fcv-done.fcv-just{border-width:2px;border-color:#124512}
.fcv-done.fcv-wrong{border:2px solid #9b1c1c;background:#fdf0f0}
.fcv-txt{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:13px;
 color:#0d2b0d;white-space:pre}
.fcv-esc{font-style:italic;color:#4b4b4b}
.fcv-mark{background:#ffd24d;color:#000;outline:2px solid #9b1c1c;font-weight:700}
.fcv .fcv-cmp{border-collapse:collapse;margin:2px 0;font-size:12.5px;table-layout:auto}
.fcv .fcv-cmp th,.fcv .fcv-cmp td{border:1px solid #cfcfcf;padding:2px 6px;text-align:left;
 vertical-align:top;background:#fff;color:#1b1b1b}
.fcv .fcv-cmp th{background:#f2f2f2}
.fcv .fcv-cmp tr.fcv-first td{background:#fff3c4;border-top:2px solid #9b1c1c;
 border-bottom:2px solid #9b1c1c}
.fcv-legend{font-size:11px;color:#3a3a3a;border-top:1px solid #e0e0e0;padding-top:4px;
 display:flex;flex-wrap:wrap;gap:12px;align-items:center}
.fcv-legend .fcv-b{height:1.6em;line-height:1.45em;min-width:1.7em;font-size:10.5px}
.fcv .fcv-film{border-collapse:collapse;font-size:12px;margin-top:4px;table-layout:auto}
.fcv .fcv-film th,.fcv .fcv-film td{border:0;border-top:1px solid #e0e0e0;padding:3px 6px;
 text-align:left;vertical-align:middle;background:#fff;color:#1b1b1b}
.fcv .fcv-film tr.fcv-first td,.fcv .fcv-film tr.fcv-first th{background:#fff3c4;
 border-top:2px solid #9b1c1c;border-bottom:2px solid #9b1c1c}
.fcv-done.fcv-absent{border-style:dashed}
.fcv-verdict{margin:0 0 6px;padding:4px 8px;border-radius:4px;font-size:13.5px;
 border-left:5px solid #1f5f1f;background:#eef8ee}
.fcv-verdict.fcv-parted{border-left:6px solid #9b1c1c;background:#fdecec;font-weight:600}
.fcv-verdict.fcv-after{border-left:5px dashed #9b1c1c;background:#fdf6f6}
.fcv-error,.fcv-refusal{display:inline-block;align-self:center;padding:2px 6px;border-radius:4px;
 font-size:12.5px}
.fcv-error{border:2px solid #9b1c1c;background:#fde8e8;color:#5a0b0b;font-weight:700}
.fcv-refusal{border:1px solid #5b2ca0;background:#f1eafd;color:#2a0f57}
.fcv-partmark{color:#7a1010;white-space:nowrap}
.fcv-legend .fcv-chip{padding:0 4px;font-size:10.5px}
.fcv-goals-head{font-weight:700;font-size:14px;margin:0 0 2px}
.fcv-goals{margin:4px 0;padding:0;list-style:none;font-size:13px}
.fcv-goals li{margin:2px 0}
.fcv-goal-done{color:#113d11}
.fcv-goal-open{color:#3a3a3a}
.fcv-tick{display:inline-block;width:1.4em;font-weight:700}
</style>"""
