// The page shell: inline CSS and one small inline script (no CDN, nothing fetched but this server's own
// fragments). Without script every link and filter still works by plain navigation; with it the main
// part is re-fetched every refresh and on each filter or sort, without reloading the page.
import { CHART_CSS } from '../util/svg-chart.ts';
import { esc } from './html.ts';

const CSS = `*{box-sizing:border-box}body{font-family:system-ui,-apple-system,sans-serif;margin:0;color:#111827;background:#f9fafb;line-height:1.4}
header.top{display:flex;flex-wrap:wrap;align-items:baseline;gap:.25rem 1rem;padding:.6rem 1rem;background:#111827;color:#f9fafb}
header.top a{color:#f9fafb;text-decoration:none;font-weight:700}header.top .src{color:#d1d5db;font-size:.9rem;overflow-wrap:anywhere}
#live{margin-left:auto;font-size:.85rem;color:#86efac}#live.off{color:#fca5a5}
main{padding:.75rem 1rem;max-width:1400px}h1{font-size:1.3rem;margin:.25rem 0 .5rem}h2{font-size:1.1rem;margin:1.25rem 0 .5rem}
a{color:#1d4ed8}.banner{background:#fee2e2;border:1px solid #fca5a5;color:#7f1d1d;padding:.5rem .75rem;border-radius:6px;margin:.5rem 0}
.muted{color:#6b7280;font-size:.85rem}form.filters{display:flex;flex-wrap:wrap;gap:.5rem;align-items:end;padding:.5rem 1rem 0}
form.filters label{display:flex;flex-direction:column;font-size:.8rem;color:#374151}form.filters select,form.filters input{font:inherit;padding:.3rem;min-width:9rem}
.counts{display:flex;flex-wrap:wrap;gap:.4rem;margin:.25rem 0 .5rem}.counts a{text-decoration:none}
table{border-collapse:collapse;width:100%;background:#fff}th,td{padding:.35rem .5rem;border-bottom:1px solid #e5e7eb;text-align:left;vertical-align:top}
th a{color:inherit}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.badge{display:inline-block;font-weight:600;font-size:.8rem;padding:.05rem .45rem;border-radius:999px;white-space:nowrap;border:1px solid transparent}
.ok{background:#dcfce7;color:#14532d}.feature-freeze{background:#fef3c7;color:#78350f}.fixes-only{background:#fee2e2;color:#7f1d1d}.no-data{background:#e5e7eb;color:#374151}.error{background:#fce7f3;color:#831843}
.firing{background:#dc2626;color:#fff}.pending{background:#fff;color:#b45309;border-color:#f59e0b}
.tier{display:block;font-size:.85rem;white-space:nowrap}.tier.burning{color:#b91c1c;font-weight:700}
.bar{display:inline-block;width:4rem;height:.5rem;background:#e5e7eb;border-radius:3px;vertical-align:middle;margin-left:.35rem;overflow:hidden}.bar i{display:block;height:100%;background:#16a34a}
.bar i.low{background:#d97706}.bar i.gone{background:#dc2626}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,300px),1fr));gap:1rem}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,520px),1fr));gap:1rem;margin-top:1rem}.card h2{margin-top:0}
details summary{cursor:pointer;margin:.5rem 0}.card{background:#fff;border:1px solid #e5e7eb;border-radius:8px;padding:.75rem}
dl.figs{display:grid;grid-template-columns:max-content 1fr;gap:.2rem .75rem;margin:0}dl.figs dt{color:#4b5563}dl.figs dd{margin:0;font-weight:600;font-variant-numeric:tabular-nums}
pre{white-space:pre-wrap;overflow-wrap:anywhere;background:#f3f4f6;padding:.5rem;border-radius:4px;margin:.25rem 0 .75rem;font-size:.85rem}
button.copy{font:inherit;font-size:.8rem;padding:.1rem .5rem}.scroll{overflow-x:auto}
${CHART_CSS}
/* A thousand rows: each row is its own grid (fixed column tracks, so no row's width depends on another) and
   content-visibility:auto lets the browser skip style and layout of rows off screen. Table rows cannot be
   contained, hence display:grid on them; the elements stay a table for assistive technology. */
table.slos,table.slos thead,table.slos tbody{display:block}table.slos{min-width:78rem}
table.slos tr{display:grid;grid-template-columns:minmax(7rem,1.5fr) minmax(5.5rem,1fr) 6.5rem 6rem 5.5rem 7rem 5rem minmax(17rem,1.5fr) minmax(9rem,1fr) 9.5rem;border-bottom:1px solid #e5e7eb}
table.slos th,table.slos td{border:0;padding:.35rem .4rem}table.slos tbody tr{content-visibility:auto;contain-intrinsic-size:auto 4.5rem}
@media (max-width:760px){table.slos{min-width:0}table.slos tbody tr{contain-intrinsic-size:auto 13rem}main{padding:.5rem}table.slos thead{display:none}table.slos,table.slos tbody,table.slos tr,table.slos td{display:block;width:100%}
table.slos tr{border:1px solid #e5e7eb;border-radius:8px;margin:.5rem 0;padding:.25rem .5rem;background:#fff}table.slos td{border:0;padding:.15rem 0;text-align:left}
table.slos td[data-label]::before{content:attr(data-label);display:inline-block;min-width:7.5rem;color:#6b7280;font-weight:400}
table.slos td.num{text-align:left}.tier{display:inline-block;margin-right:.5rem}}`;

const SCRIPT = `(()=>{const every=Number(document.body.dataset.refresh)*1000;const live=document.getElementById('live');
let ctl=null;let nav=false;
// A click or filter change wins over a background refresh in flight (aborted); a refresh never aborts a click.
async function load(url,push){if(ctl){if(!push&&nav)return;ctl.abort();}const c=new AbortController();ctl=c;nav=push;
try{const r=await fetch(url,{headers:{'x-solida-fragment':'1'},signal:c.signal});
if(!r.ok)throw new Error('HTTP '+r.status);const html=await r.text();if(c.signal.aborted)return;apply(html);if(push)history.replaceState(null,'',url);
live.textContent='live';live.className='';}catch(e){if(c.signal.aborted)return;live.textContent='view offline: '+e.message;live.className='off';}finally{if(ctl===c){ctl=null;nav=false;}}}
// Swap in a new main part, keeping every list row whose digest (data-h) is unchanged: a refresh of 1,000 SLOs
// then touches only the rows that moved or changed, instead of re-laying out the whole table.
function apply(html){const main=document.querySelector('main');const t=document.createElement('template');t.innerHTML=html;
const ob=main.querySelector('table.slos tbody'),nb=t.content.querySelector('table.slos tbody');
if(!ob||!nb||nb.closest('.scroll')?.parentNode!==t.content){main.replaceChildren(t.content);return;}
const oh=main.querySelector('table.slos thead'),nh=t.content.querySelector('table.slos thead');if(oh.innerHTML!==nh.innerHTML)oh.replaceWith(nh);
const old=new Map();for(const tr of ob.children)old.set(tr.dataset.id,tr);let at=ob.firstElementChild;
for(const tr of Array.from(nb.children)){const o=old.get(tr.dataset.id);const keep=o&&o.dataset.h===tr.dataset.h?o:tr;
if(o&&o!==keep){if(o===at)at=at.nextElementSibling;o.remove();}if(keep===at)at=at.nextElementSibling;else ob.insertBefore(keep,at);}
while(at){const n=at.nextElementSibling;at.remove();at=n;}
const os=ob.closest('.scroll'),kids=Array.from(t.content.childNodes),i=kids.indexOf(nb.closest('.scroll'));
for(const c of Array.from(main.childNodes))if(c!==os)c.remove();main.prepend(...kids.slice(0,i));main.append(...kids.slice(i+1));}
window.solidaRefresh=()=>load(location.pathname+location.search,false);
setInterval(()=>load(location.pathname+location.search,false),every);
document.addEventListener('click',(e)=>{const a=e.target.closest('a[data-nav]');if(a){e.preventDefault();load(a.getAttribute('href'),true);return;}
const b=e.target.closest('button.copy');if(b){const t=document.getElementById(b.dataset.target).textContent;navigator.clipboard?.writeText(t).then(()=>{b.textContent='copied';},()=>{});}});
const f=document.querySelector('form.filters');if(f){const go=()=>{const q=new URLSearchParams();for(const [k,v] of new FormData(f))if(v)q.set(k,String(v));
const s=new URLSearchParams(location.search).get('sort');const d=new URLSearchParams(location.search).get('dir');if(s)q.set('sort',s);if(d)q.set('dir',d);
const qs=q.toString();load(location.pathname+(qs?'?'+qs:''),true);};let t;f.addEventListener('change',go);f.addEventListener('input',(e)=>{if(e.target.name==='q'){clearTimeout(t);t=setTimeout(go,250);}});
f.addEventListener('submit',(e)=>{e.preventDefault();go();});const b=f.querySelector('button');if(b)b.hidden=true;}})();`;

export interface PageParts {
  title: string;
  source: string;
  refreshSeconds: number;
  /** Controls outside <main>, kept while the main part is refreshed (the filter form). */
  controls?: string;
  main: string;
}

export function page(p: PageParts): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(p.title)}</title><style>${CSS}</style></head>
<body data-refresh="${p.refreshSeconds}"><header class="top"><a href="/">solida · SLOs</a><span class="src">${esc(p.source)}</span><span id="live">live</span></header>
${p.controls ?? ''}<main>${p.main}</main>
<script>${SCRIPT}</script></body></html>
`;
}
