// A small Sankey drawing in SVG for where a victim's money went: columns by distance from the
// victim's payment, band widths by amount. The server gives nodes and links; this only lays out.

import { money } from "./dom";
import type { Sankey } from "./endpoints";

const SVG = "http://www.w3.org/2000/svg";

export function drawSankey(data: Sankey, width = 1100, height = 360): SVGSVGElement {
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("class", "sankey");
  svg.setAttribute("id", "sankey");
  svg.setAttribute("width", String(width));
  svg.setAttribute("height", String(height));
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", "where the money went, from the victim's payment onwards");
  if (!data.links.length) return svg;
  const depth = columns(data);
  const maxDepth = Math.max(...depth);
  const flow = data.nodes.map((_, i) => {
    const out = data.links.filter((l) => l.source === i).reduce((a, l) => a + Number(l.amount), 0);
    const inn = data.links.filter((l) => l.target === i).reduce((a, l) => a + Number(l.amount), 0);
    return Math.max(out, inn);
  });
  const byColumn: number[][] = Array.from({ length: maxDepth + 1 }, () => []);
  depth.forEach((d, i) => byColumn[d].push(i));
  const gap = 8;
  const scale = Math.min(
    ...byColumn.map((col) => (height - 20 - gap * (col.length - 1)) / Math.max(1, col.reduce((a, i) => a + flow[i], 0))),
  );
  const colX = (d: number) => 10 + (d * (width - 300)) / Math.max(1, maxDepth); // room for labels
  const y = new Array<number>(data.nodes.length).fill(0);
  for (const col of byColumn) {
    let top = 10;
    for (const i of col) {
      y[i] = top;
      top += flow[i] * scale + gap;
    }
  }
  const outUsed = new Array<number>(data.nodes.length).fill(0);
  const inUsed = new Array<number>(data.nodes.length).fill(0);
  for (const link of data.links) {
    const w = Number(link.amount) * scale;
    const x0 = colX(depth[link.source]) + 12;
    const x1 = colX(depth[link.target]);
    const y0 = y[link.source] + outUsed[link.source] + w / 2;
    const y1 = y[link.target] + inUsed[link.target] + w / 2;
    outUsed[link.source] += w;
    inUsed[link.target] += w;
    const path = document.createElementNS(SVG, "path");
    const mid = (x0 + x1) / 2;
    path.setAttribute("d", `M${x0},${y0} C${mid},${y0} ${mid},${y1} ${x1},${y1}`);
    path.setAttribute("class", "sankey-link");
    path.setAttribute("stroke-width", String(Math.max(1, w)));
    const title = document.createElementNS(SVG, "title");
    title.textContent = `${data.nodes[link.source]} → ${data.nodes[link.target]}: ${money(link.amount)}`;
    path.appendChild(title);
    svg.appendChild(path);
  }
  data.nodes.forEach((name, i) => {
    const rect = document.createElementNS(SVG, "rect");
    rect.setAttribute("x", String(colX(depth[i])));
    rect.setAttribute("y", String(y[i]));
    rect.setAttribute("width", "12");
    rect.setAttribute("height", String(Math.max(2, flow[i] * scale)));
    rect.setAttribute("class", "sankey-node");
    svg.appendChild(rect);
    const label = document.createElementNS(SVG, "text");
    label.setAttribute("x", String(colX(depth[i]) + 16));
    label.setAttribute("y", String(y[i] + Math.max(2, flow[i] * scale) / 2 + 3));
    label.textContent = `${name} ${money(flow[i])}`;
    svg.appendChild(label);
  });
  return svg;
}

/** Column of each node: the longest chain of links leading to it (sources at 0). */
function columns(data: Sankey): number[] {
  const depth = new Array<number>(data.nodes.length).fill(0);
  for (let pass = 0; pass < data.nodes.length; pass++) {
    let moved = false;
    for (const l of data.links) {
      if (depth[l.target] < depth[l.source] + 1 && depth[l.source] + 1 < data.nodes.length) {
        depth[l.target] = depth[l.source] + 1;
        moved = true;
      }
    }
    if (!moved) break;
  }
  return depth;
}
