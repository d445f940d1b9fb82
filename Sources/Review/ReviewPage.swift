/// The review application's single page: markup, style and script, with the server's nonce.
///
/// The script fetches the run and the decisions with the token (from the page's address, which
/// it then clears, or from the tab's session storage on a reload) in a
/// header, and builds every element from data with `textContent`: text from PDFs never becomes
/// markup. Keyboard: j / k next and previous passage, c confirm, r reject, / search.
enum ReviewPage {
  static func html(nonce: String) -> String {
    """
    <!doctype html>
    <html lang="en"><head><meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>gcmap review</title>
    <style nonce="\(nonce)">
    body{font:14px/1.4 system-ui,"Noto Sans","Noto Naskh Arabic","Noto Sans Arabic",Tahoma,"Noto Sans CJK SC","PingFang SC","Microsoft YaHei","WenQuanYi Micro Hei",sans-serif;margin:0;color:#1b1b1b}
    header{background:#0b3d6b;color:#fff;padding:8px 16px;display:flex;gap:16px;align-items:center}
    header h1{font-size:17px;margin:0}
    #who{margin-left:auto}
    main{display:grid;grid-template-columns:minmax(420px,46%) 1fr;gap:12px;padding:12px;align-items:start}
    #overview{position:sticky;top:0;max-height:100vh;overflow:auto}
    section{border:1px solid #ccd;border-radius:4px;padding:8px;overflow:auto}
    h2{font-size:15px;margin:4px 0 8px}
    table{border-collapse:collapse}
    td,th{border:1px solid #dde;padding:2px 4px;font-size:12px;text-align:center}
    th.doc{text-align:left;max-width:220px;overflow:hidden;white-space:nowrap;text-overflow:ellipsis;position:sticky;left:0;background:#f6f8fb}
    td.cell{cursor:pointer;min-width:22px}
    td.substantive{background:#1a7f37;color:#fff}td.addressed{background:#8fd19e}
    td.mentioned{background:#f3f0c4}td.none{background:#fff}
    td.selected{outline:3px solid #d63}
    .passage{border:1px solid #dde;border-radius:4px;padding:6px 8px;margin:6px 0}
    .passage.current{border-color:#d63;box-shadow:0 0 0 2px #fbd2c2}
    .meta{color:#555;font-size:12px}
    .text{white-space:pre-wrap;margin:4px 0}
    mark{background:#ffe27a}
    .status{font-weight:600;margin-left:8px}
    .status.confirm{color:#1a7f37}.status.reject{color:#b3261e}.status.add,.status.change{color:#0b57d0}
    button{margin-right:4px}
    #toast{position:fixed;bottom:12px;right:12px;background:#333;color:#fff;padding:6px 10px;border-radius:4px;display:none}
    #reviewer-form{padding:16px}
    .counts td,.counts th{text-align:right}
    </style></head>
    <body>
    <header><h1>gcmap review</h1><span id="progress"></span><span id="who"></span></header>
    <div id="reviewer-form" hidden>
      <label>Your name, recorded with every decision:
        <input id="reviewer-name" autocomplete="name"></label>
      <button id="reviewer-save">Start reviewing</button>
    </div>
    <main id="app" hidden>
      <div id="overview">
        <section><h2>Coverage matrix (click a cell)</h2><div id="matrix"></div></section>
        <section><h2>Reviewed and pending labels</h2><div id="counts"></div></section>
        <section><h2>Precision by category (reviewers' decisions on gcmap's labels)</h2>
          <div id="precision"></div></section>
      </div>
      <div>
        <section><h2>Find a passage</h2>
          <select id="search-doc"></select> <input id="search-text" placeholder="words in the passage">
          <button id="search-go">Search</button></section>
        <section><h2 id="list-title">Passages</h2><div id="passages"></div></section>
      </div>
    </main>
    <div id="toast"></div>
    <script nonce="\(nonce)">
    "use strict";
    // The token leaves the address bar and the history at once; the tab keeps it for reloads.
    const token = new URLSearchParams(location.search).get("token")
      || sessionStorage.getItem("gcmap-token") || "";
    sessionStorage.setItem("gcmap-token", token);
    history.replaceState(null, "", location.pathname);
    let run = null, decisions = new Map(), reviewer = localStorage.getItem("gcmap-reviewer") || "";
    let shown = [], current = -1, selectedCell = null;
    const el = (tag, attrs, ...children) => {
      const node = document.createElement(tag);
      for (const [key, value] of Object.entries(attrs || {})) {
        if (key === "class") node.className = value; else if (key.startsWith("on")) node[key] = value;
        else node.setAttribute(key, value);
      }
      for (const child of children) node.append(child instanceof Node ? child : document.createTextNode(String(child)));
      return node;
    };
    const key = (sha, hash, category) => sha + "|" + hash + "|" + category;
    async function api(path, body) {
      const response = await fetch(path, {method: body ? "POST" : "GET",
        headers: {"X-GCMap-Token": token, "Content-Type": "application/json"},
        body: body ? JSON.stringify(body) : undefined, cache: "no-store"});
      if (!response.ok) throw new Error((await response.json().catch(() => ({}))).error || response.status);
      return response.json();
    }
    function toast(text) {
      const box = document.getElementById("toast"); box.textContent = text; box.style.display = "block";
      clearTimeout(toast.timer); toast.timer = setTimeout(() => box.style.display = "none", 2500);
    }
    const title = id => { const c = run.categories.find(c => c.id === id); return c ? id + " " + c.title : id; };
    // The labels a passage has now: gcmap's, less rejected and changed ones, plus added and
    // changed-to ones.
    // Decisions by passage (document SHA-256 and passage hash), rebuilt when one is made.
    let byPassage = new Map();
    function indexDecisions() {
      byPassage = new Map();
      for (const d of decisions.values()) {
        const k = d.documentSHA256 + "|" + d.passageHash;
        if (!byPassage.has(k)) byPassage.set(k, []);
        byPassage.get(k).push(d);
      }
    }
    function currentLabels(p) {
      const out = new Set();
      for (const l of p.labels) {
        const d = decisions.get(key(p.sha256, p.hash, l.category));
        if (!d || d.kind === "confirm") out.add(l.category);
        if (d && d.kind === "change") out.add(d.newCategory);
      }
      for (const d of byPassage.get(p.sha256 + "|" + p.hash) || [])
        if (d.kind === "add" || d.kind === "confirm") out.add(d.category);
      return [...out];
    }
    function renderMatrix() {
      // Labels now, per document and category, in one pass over the passages.
      const counts = new Map();
      for (const p of run.passages) for (const c of currentLabels(p)) {
        const k = p.document + "|" + c; counts.set(k, (counts.get(k) || 0) + 1);
      }
      const table = el("table", {id: "matrix-table"});
      const head = el("tr", {}, el("th", {class: "doc"}, "Document"));
      for (const c of run.categories) head.append(el("th", {title: title(c.id)}, c.id));
      table.append(head);
      for (const d of run.documents) {
        const row = el("tr", {}, el("th", {class: "doc", title: d.title}, d.id));
        for (const c of run.categories) {
          const count = counts.get(d.id + "|" + c.id) || 0;
          const cell = el("td", {class: "cell " + (d.levels[c.id] || "none"), "data-doc": d.id, "data-cat": c.id,
            title: d.id + " · " + title(c.id)}, count || "");
          cell.onclick = () => showCell(d.id, c.id, cell);
          row.append(cell);
        }
        table.append(row);
      }
      document.getElementById("matrix").replaceChildren(table);
    }
    function renderCounts() {
      const perDoc = new Map(), perCat = new Map(), precision = new Map();
      let reviewed = 0, pending = 0;
      for (const p of run.passages) for (const l of p.labels) {
        const d = decisions.get(key(p.sha256, p.hash, l.category));
        const bump = (map, k) => { const v = map.get(k) || [0, 0]; v[d ? 0 : 1]++; map.set(k, v); };
        bump(perDoc, p.document); bump(perCat, l.category);
        if (d) reviewed++; else pending++;
        if (d) { const v = precision.get(l.category) || [0, 0]; v[d.kind === "confirm" ? 0 : 1]++; precision.set(l.category, v); }
      }
      document.getElementById("progress").textContent = reviewed + " labels reviewed, " + pending + " pending";
      const table = (rows, first) => {
        const t = el("table", {class: "counts"}, el("tr", {}, el("th", {}, first), el("th", {}, "reviewed"), el("th", {}, "pending")));
        for (const [k, [r, p]] of [...rows.entries()].sort()) t.append(el("tr", {"data-count": k}, el("th", {class: "doc"}, k), el("td", {}, r), el("td", {}, p)));
        return t;
      };
      document.getElementById("counts").replaceChildren(table(perDoc, "document"), el("br"), table(perCat, "category"));
      const t = el("table", {class: "counts", id: "precision-table"}, el("tr", {}, el("th", {}, "category"), el("th", {}, "confirmed"), el("th", {}, "rejected"), el("th", {}, "precision")));
      for (const [k, [c, r]] of [...precision.entries()].sort())
        t.append(el("tr", {"data-precision": k}, el("th", {}, title(k)), el("td", {}, c), el("td", {}, r), el("td", {}, Math.round(100 * c / (c + r)) + "%")));
      document.getElementById("precision").replaceChildren(t);
    }
    function marked(text, terms) {
      const words = terms.map(t => t.replace(/^=/, "").trim()).filter(t => t.length > 1)
        .map(t => t.replace(/[.*+?^${}()|[\\]\\\\]/g, "\\\\$&").replace(/\\s+/g, "\\\\s+"));
      const node = el("div", {class: "text", dir: "auto"});
      if (!words.length) { node.textContent = text; return node; }
      const pattern = new RegExp("(" + words.join("|") + ")\\\\w*", "gi");
      let last = 0;
      for (const match of text.matchAll(pattern)) {
        node.append(text.slice(last, match.index), el("mark", {}, match[0]));
        last = match.index + match[0].length;
      }
      node.append(text.slice(last));
      return node;
    }
    function categorySelect(cls, exclude) {
      const select = el("select", {class: cls});
      for (const c of run.categories) if (c.id !== exclude) select.append(el("option", {value: c.id}, title(c.id)));
      return select;
    }
    async function decide(p, category, kind, extra) {
      const note = (extra && extra.note) || "";
      const body = {documentSHA256: p.sha256, passageHash: p.hash, category, decision: kind,
        newCategory: extra && extra.newCategory, reviewer, note};
      try {
        const saved = await api("/api/decisions", body);
        decisions.set(key(p.sha256, p.hash, category), saved.decision);
        indexDecisions();
        toast("Saved: " + kind + " " + category);
        renderMatrix(); renderCounts(); rerender();
      } catch (error) { toast("Not saved: " + error.message); }
    }
    function passageView(p, category, mode) {
      const d = category ? decisions.get(key(p.sha256, p.hash, category)) : null;
      const label = p.labels.find(l => l.category === category);
      const status = el("span", {class: "status " + (d ? d.kind : "")},
        d ? d.kind + (d.newCategory ? " → " + d.newCategory : "") + " by " + d.reviewer : (label ? "pending" : ""));
      const box = el("div", {class: "passage", "data-passage": p.id, "data-cat": category || ""});
      box.append(el("div", {class: "meta"}, p.document + ", p. " + p.page + (p.heading ? " · " + p.heading : "")
        + (label ? " · " + category + " score " + label.score + " (keyword " + label.keyword + ", tf-idf " + label.tfidf
        + ", mention " + label.mention + ", heading " + label.heading + ")" : ""), status));
      box.append(marked(p.text, label ? label.terms : []));
      if (label && label.terms.length) box.append(el("div", {class: "meta"}, "why: " + label.terms.join("; ")));
      if (label && label.closestAction) box.append(el("div", {class: "meta"}, "closest to action " + label.closestAction + " of the Compact"));
      const note = el("input", {class: "note", placeholder: "note (optional)", value: d ? d.note : ""});
      if (mode === "label") {
        const change = categorySelect("change-to", category);
        box.append(el("div", {},
          el("button", {class: "confirm", onclick: () => decide(p, category, "confirm", {note: note.value})}, "Confirm (c)"),
          el("button", {class: "reject", onclick: () => decide(p, category, "reject", {note: note.value})}, "Reject (r)"),
          change, el("button", {class: "change", onclick: () => decide(p, category, "change", {newCategory: change.value, note: note.value})}, "Change"),
          " ", note));
      } else {
        const add = categorySelect("add-cat");
        box.append(el("div", {class: "meta"}, "labels now: " + (currentLabels(p).join(", ") || "none")),
          el("div", {}, add, el("button", {class: "add", onclick: () => decide(p, add.value, "add", {note: note.value})}, "Add category"), " ", note));
      }
      return box;
    }
    let rerender = () => {};
    function showList(items, heading, mode) {
      shown = items; current = items.length ? 0 : -1;
      document.getElementById("list-title").textContent = heading;
      rerender = () => {
        document.getElementById("passages").replaceChildren(...shown.map(([p, c], i) => {
          const view = passageView(p, c, mode); if (i === current) view.classList.add("current"); return view; }));
      };
      rerender();
    }
    function showCell(doc, category, cell) {
      if (selectedCell) selectedCell.classList.remove("selected");
      selectedCell = cell; if (cell) cell.classList.add("selected");
      const items = run.passages.filter(p => p.document === doc && (p.labels.some(l => l.category === category)
        || currentLabels(p).includes(category))).map(p => {
          const d = (byPassage.get(p.sha256 + "|" + p.hash) || []).find(d => d.kind === "change" && d.newCategory === category);
          return [p, p.labels.some(l => l.category === category) ? category : (d ? d.category : category)];
        });
      showList(items, doc + " · " + title(category) + ": " + items.length + " passages", "label");
    }
    function search() {
      const doc = document.getElementById("search-doc").value;
      const words = document.getElementById("search-text").value.toLowerCase().trim();
      const items = run.passages.filter(p => p.document === doc && (!words || p.text.toLowerCase().includes(words))).slice(0, 200).map(p => [p, null]);
      showList(items, "Search in " + doc + ": " + items.length + " passages", "search");
    }
    document.addEventListener("keydown", event => {
      if (["INPUT", "SELECT", "TEXTAREA"].includes(event.target.tagName) || !shown.length) return;
      const [p, category] = shown[current] || [];
      if (event.key === "j" || event.key === "k") {
        current = Math.max(0, Math.min(shown.length - 1, current + (event.key === "j" ? 1 : -1)));
        rerender(); document.querySelector(".passage.current")?.scrollIntoView({block: "nearest"});
      } else if (event.key === "c" && category) decide(p, category, "confirm");
      else if (event.key === "r" && category) decide(p, category, "reject");
      else if (event.key === "/") { event.preventDefault(); document.getElementById("search-text").focus(); }
    });
    async function start() {
      document.getElementById("who").textContent = "Reviewer: " + reviewer;
      document.getElementById("app").hidden = false;
      run = await api("/api/run");
      for (const d of await api("/api/decisions")) decisions.set(key(d.documentSHA256, d.passageHash, d.category), d);
      indexDecisions();
      const select = document.getElementById("search-doc");
      for (const d of run.documents) select.append(el("option", {value: d.id}, d.id));
      document.getElementById("search-go").onclick = search;
      renderMatrix(); renderCounts();
      document.body.dataset.ready = "yes";
    }
    document.getElementById("reviewer-save").onclick = () => {
      const name = document.getElementById("reviewer-name").value.trim();
      if (!name) return;
      reviewer = name; localStorage.setItem("gcmap-reviewer", name);
      document.getElementById("reviewer-form").hidden = true; start();
    };
    if (reviewer) start(); else document.getElementById("reviewer-form").hidden = false;
    </script></body></html>
    """
  }
}
