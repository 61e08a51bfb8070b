"""The style sheet and script of the review page (kept here so the page is one file).

The script never builds markup from data: every value goes in through
``textContent`` or ``value``, so a name like ``<img src=x onerror=...>`` shows
as text. The page's Content-Security-Policy allows only this script (by hash),
no network at all (``default-src 'none'``).
"""

from __future__ import annotations

__all__ = ["CSS", "SCRIPT"]

CSS = """
*{box-sizing:border-box}
body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1d232a;
background:#f4f6f8}
header{position:sticky;top:0;z-index:2;background:#fff;border-bottom:1px solid #d0d7de;
padding:8px 16px}
header h1{font-size:17px;margin:0 0 6px}
.bar{display:flex;flex-wrap:wrap;gap:8px;align-items:center}
.bar input[type=search]{width:260px}
.bar select,.bar input,.bar button{font:inherit;padding:3px 6px}
#progress{font-weight:600}
.help{color:#57606a;font-size:12px;margin-top:4px}
main{padding:12px 16px;max-width:1500px}
.group{margin:16px 0 4px;font-size:15px;color:#0b4f8a}
.rec{background:#fff;border:1px solid #d0d7de;border-radius:6px;margin:8px 0;padding:8px 12px}
.rec.focus{outline:3px solid #4493f8}
.rec.d-same{border-left:6px solid #1a7f37}.rec.d-different{border-left:6px solid #cf222e}
.rec.d-unsure{border-left:6px solid #bf8700}
.rec h2{font-size:14px;margin:0 0 4px;display:flex;gap:12px;flex-wrap:wrap}
.reasons{margin:2px 0 6px;padding-left:18px;color:#6e3b00}
table.cmp{border-collapse:collapse;width:100%;table-layout:fixed}
table.cmp th,table.cmp td{border:1px solid #e1e4e8;padding:3px 6px;vertical-align:top;
overflow-wrap:anywhere;text-align:left}
table.cmp th{background:#f6f8fa;font-weight:600}
table.cmp td.field{width:110px;font-weight:600}
.norm{display:block;color:#57606a;font-size:12px}
.lvl{display:block;font-size:11px;color:#57606a}
td.diff{background:#fff1f0}td.same{background:#f0fff4}
mark{background:#ffd33d;padding:0 1px}
.wf{display:grid;grid-template-columns:120px 150px 1fr 60px;gap:1px 6px;font-size:12px;
margin-top:6px}
.wf .b{height:12px;margin-top:3px;position:relative}
.wf .b span{position:absolute;top:0;height:12px}
.pos{background:#2da44e}.neg{background:#cf222e}.tot{background:#0969da}
.actions{display:flex;gap:6px;flex-wrap:wrap;align-items:center;margin-top:6px}
.actions button.on{outline:2px solid #1d232a;font-weight:700}
.actions input{flex:1;min-width:200px}
.pager{display:flex;gap:8px;align-items:center;margin:12px 0}
.cands{display:flex;gap:18px;flex-wrap:wrap}.cands>div{flex:1;min-width:320px}
"""

SCRIPT = r"""
(function(){
'use strict';
var DATA=JSON.parse(document.getElementById('review-data').textContent);
var KEY='vnlink-review:'+DATA.id;
var PAGE=DATA.page_size||50;
var T=DATA.text;
var decisions={};
try{decisions=JSON.parse(localStorage.getItem(KEY)||'{}')||{};}catch(e){decisions={};}
var state={page:0,focus:0,shown:[]};
function el(tag,cls,text){var e=document.createElement(tag);if(cls)e.className=cls;
 if(text!==undefined&&text!==null)e.textContent=String(text);return e;}
function $(id){return document.getElementById(id);}
function fmt(x,d){return (x===null||x===undefined)?'':Number(x).toFixed(d);}
function save(){try{localStorage.setItem(KEY,JSON.stringify(decisions));}catch(e){}
 updateProgress();}
function fold(s){return String(s||'').normalize('NFD').replace(/[\u0300-\u036f]/g,'')
 .replace(/\u0111/g,'d').replace(/\u0110/g,'D').toLowerCase();}
var records=DATA.records;
records.forEach(function(r,i){r._i=i;r._hay=fold([r.id,r.group,r.reasons.join(' ')]
 .concat(r.cands.map(function(c){return c.pid+' '+DATA.fields.map(function(f,j){
  return c.values[j][0];}).join(' ');})).concat(r.values.map(function(v){return v[0];}))
 .join(' '));});
function fillSelect(sel,values,allText){sel.textContent='';var o=el('option','',allText);
 o.value='';sel.appendChild(o);values.forEach(function(v){var o2=el('option','',v);o2.value=v;
 sel.appendChild(o2);});}
var groups=Array.from(new Set(records.map(function(r){return r.group;}))).sort();
fillSelect($('f-group'),groups,T.all_groups);
var codes={};records.forEach(function(r){r.codes.forEach(function(c){codes[c]=1;});});
fillSelect($('f-reason'),Object.keys(codes).sort(),T.all_reasons);
function filtered(){
 var q=fold($('f-search').value.trim()),g=$('f-group').value,d=$('f-decision').value,
  rc=$('f-reason').value,s=$('f-sort').value;
 var out=records.filter(function(r){
  if(g&&r.group!==g)return false;
  if(rc&&r.codes.indexOf(rc)<0)return false;
  var dd=decisions[r.id];if(dd&&!dd.decision)dd=null;
  if(d==='undecided'&&dd)return false;
  if(d&&d!=='undecided'&&(!dd||dd.decision!==d))return false;
  if(q&&r._hay.indexOf(q)<0)return false;return true;});
 var key={priority:function(r){return r.priority;},
  prob_desc:function(r){return -(r.prob===null?-1:r.prob);},
  prob_asc:function(r){return r.prob===null?2:r.prob;}}[s]||function(r){return r.priority;};
 out.sort(function(a,b){var ka=key(a),kb=key(b);
  if(s==='priority'||!s){if(a.group!==b.group)return a.group<b.group?-1:1;}
  return ka-kb||a._i-b._i;});
 return out;}
function diffMarks(td,text,other){
 var words=String(text).split(/(\s+|,\s*)/);var mine={};
 fold(other).split(/[\s,]+/).forEach(function(w){if(w)mine[w]=1;});
 words.forEach(function(w){if(/^[\s,]*$/.test(w)){td.appendChild(document.createTextNode(w));
  return;}if(mine[fold(w)])td.appendChild(document.createTextNode(w));
  else td.appendChild(el('mark','',w));});}
function waterfall(c){
 var box=el('div','wf');var vals=[DATA.prior].concat(c.weights).concat([c.weight]);
 var run=0,lo=0,hi=0;vals.slice(0,-1).forEach(function(w){run+=(w||0);lo=Math.min(lo,run);
  hi=Math.max(hi,run);});lo=Math.min(lo,c.weight);hi=Math.max(hi,c.weight);
 var span=(hi-lo)||1;run=0;
 function row(name,label,w,start,cls){box.appendChild(el('div','',name));
  box.appendChild(el('div','lvl',label));var b=el('div','b');var s=el('span',cls);
  var a=Math.min(start,start+w),z=Math.max(start,start+w);
  s.style.left=((a-lo)/span*100)+'%';s.style.width=Math.max(0.5,(z-a)/span*100)+'%';
  b.appendChild(s);box.appendChild(b);box.appendChild(el('div','',(w>=0?'+':'')+fmt(w,2)));}
 if(DATA.prior!==null){row(T.prior,'',DATA.prior,0,DATA.prior>=0?'pos':'neg');
  run=DATA.prior;}
 DATA.comparisons.forEach(function(name,j){var w=c.weights[j];if(w===null)return;
  row(name,c.levels[j],w,run,w>=0?'pos':'neg');run+=w;});
 row(T.total,fmt(c.prob,4),c.weight,0,'tot');return box;}
function decide(r,decision,pid){
 var prev=decisions[r.id]||{};
 if(!decision){if(prev.note){decisions[r.id]={decision:'',person_id:'',candidates:'',
  note:prev.note,at:prev.at};}else{delete decisions[r.id];}}
 else{decisions[r.id]={decision:decision,person_id:pid||'',
  candidates:r.cands.map(function(c){return c.pid;}).join(';'),
  note:prev.note||'',at:new Date().toISOString()};}
 save();paintDecision(r);}
function paintDecision(r){var card=document.querySelector('[data-rec="'+r._i+'"]');
 if(!card)return;var d=decisions[r.id];card.classList.remove('d-same','d-different','d-unsure');
 if(d&&d.decision)card.classList.add('d-'+d.decision);
 card.querySelectorAll('button[data-d]').forEach(function(b){
  var on=d&&b.getAttribute('data-d')===d.decision&&(b.getAttribute('data-p')||'')===d.person_id;
  b.classList.toggle('on',!!on);});
 var note=card.querySelector('input.note');if(note&&document.activeElement!==note)
  note.value=d?d.note:'';}
function card(r){
 var c=el('section','rec');c.setAttribute('data-rec',r._i);c.tabIndex=-1;
 var h=el('h2');h.appendChild(el('span','',T.record+' '+r.id));
 h.appendChild(el('span','',T.status+': '+r.status));
 h.appendChild(el('span','',T.probability+' '+fmt(r.prob,4)));
 if(r.margin!==null)h.appendChild(el('span','',T.margin+' '+fmt(r.margin,1)));
 h.appendChild(el('span','',T.priority+' '+r.priority));c.appendChild(h);
 if(r.reasons.length){var ul=el('ul','reasons');r.reasons.forEach(function(t){
  ul.appendChild(el('li','',t));});c.appendChild(ul);}
 var tb=el('table','cmp');var tr=el('tr');tr.appendChild(el('th','',T.field));
 tr.appendChild(el('th','',T.record_side));
 r.cands.forEach(function(cd,k){tr.appendChild(el('th','',T.candidate+' '+(k+1)+': '+cd.pid+
  ' ('+fmt(cd.prob,4)+')'));});tb.appendChild(tr);
 DATA.fields.forEach(function(f,j){var row=el('tr');row.appendChild(el('td','field',
  DATA.field_labels[j]));var rv=r.values[j];var td=el('td');td.appendChild(
  document.createTextNode(rv[0]));td.appendChild(el('span','norm',rv[1]));row.appendChild(td);
  r.cands.forEach(function(cd){var v=cd.values[j];var same=fold(v[1])===fold(rv[1]);
   var blank=!v[1]||!rv[1];var t=el('td',blank?'':(same?'same':'diff'));
   if(same||blank)t.appendChild(document.createTextNode(v[0]));
   else diffMarks(t,v[0],rv[0]+' '+rv[1]);
   t.appendChild(el('span','norm',v[1]));
   var lv=DATA.field_comparison[j];if(lv>=0&&cd.levels[lv]!==undefined){
    t.appendChild(el('span','lvl',cd.levels[lv]+(cd.weights[lv]===null?'':' ('+
    (cd.weights[lv]>=0?'+':'')+fmt(cd.weights[lv],2)+')')));}
   row.appendChild(t);});tb.appendChild(row);});
 c.appendChild(tb);
 var wfs=el('div','cands');r.cands.forEach(function(cd,k){var d=el('div');
  d.appendChild(el('strong','',T.waterfall+' '+(k+1)));d.appendChild(waterfall(cd));
  wfs.appendChild(d);});c.appendChild(wfs);
 var act=el('div','actions');
 r.cands.forEach(function(cd,k){var b=el('button','',(k+1)+' '+T.same+' '+(k+1));
  b.setAttribute('data-d','same');b.setAttribute('data-p',cd.pid);
  b.addEventListener('click',function(){decide(r,'same',cd.pid);});act.appendChild(b);});
 [['different','X '+T.different],['unsure','C '+T.unsure]].forEach(function(p){
  var b=el('button','',p[1]);b.setAttribute('data-d',p[0]);b.setAttribute('data-p','');
  b.addEventListener('click',function(){decide(r,p[0],'');});act.appendChild(b);});
 var note=el('input','note');note.placeholder=T.note;note.setAttribute('aria-label',T.note);
 note.addEventListener('change',function(){var d=decisions[r.id];
  if(!d){d=decisions[r.id]={decision:'',person_id:'',candidates:'',note:'',
  at:new Date().toISOString()};}d.note=note.value;save();paintDecision(r);});
 note.addEventListener('keydown',function(e){if(e.key==='Escape'||e.key==='Enter'){
  note.blur();e.stopPropagation();}});
 act.appendChild(note);c.appendChild(act);
 c.addEventListener('click',function(){setFocus(state.shown.indexOf(r),false);});
 return c;}
function render(){
 var list=filtered();state.list=list;var pages=Math.max(1,Math.ceil(list.length/PAGE));
 if(state.page>=pages)state.page=pages-1;var main=$('list');main.textContent='';
 var slice=list.slice(state.page*PAGE,(state.page+1)*PAGE);state.shown=slice;var lastGroup=null;
 slice.forEach(function(r){if(r.group!==lastGroup){main.appendChild(el('h3','group',r.group));
  lastGroup=r.group;}main.appendChild(card(r));paintDecision(r);});
 $('page-info').textContent=T.page+' '+(state.page+1)+' / '+pages+' \u00b7 '+list.length+' '+
  T.records;if(state.focus>=slice.length)state.focus=0;setFocus(state.focus,false);
 updateProgress();}
function setFocus(i,scroll){if(i<0)return;state.focus=i;document.querySelectorAll('.rec.focus')
 .forEach(function(e){e.classList.remove('focus');});var r=state.shown[i];if(!r)return;
 var c=document.querySelector('[data-rec="'+r._i+'"]');if(c){c.classList.add('focus');
 if(scroll)c.scrollIntoView({block:'nearest'});}}
function updateProgress(){var n=0;records.forEach(function(r){var d=decisions[r.id];
 if(d&&d.decision)n++;});
 $('progress').textContent=n+' / '+records.length+' '+T.decided;}
function csvCell(v){v=String(v===undefined||v===null?'':v);
 if(/^[=+\-@\t\r]/.test(v))v="'"+v;
 if(/[",\r\n]/.test(v))v='"'+v.replace(/"/g,'""')+'"';return v;}
function exportCsv(){var lines=['record_id,decision,person_id,candidates,note,decided_at'];
 records.forEach(function(r){var d=decisions[r.id];if(!d||!d.decision)return;
  lines.push([r.id,d.decision,d.person_id,d.candidates,d.note,d.at].map(csvCell).join(','));});
 var blob=new Blob(['\ufeff'+lines.join('\r\n')+'\r\n'],{type:'text/csv;charset=utf-8'});
 var a=el('a');a.href=URL.createObjectURL(blob);a.download=DATA.export_name;
 document.body.appendChild(a);a.click();setTimeout(function(){URL.revokeObjectURL(a.href);
 a.remove();},1000);}
['f-search','f-group','f-decision','f-reason','f-sort'].forEach(function(id){
 $(id).addEventListener(id==='f-search'?'input':'change',function(){state.page=0;
 state.focus=0;render();});});
$('prev').addEventListener('click',function(){if(state.page>0){state.page--;state.focus=0;
 render();}});
$('next').addEventListener('click',function(){state.page++;state.focus=0;render();});
$('export').addEventListener('click',exportCsv);
document.addEventListener('keydown',function(e){
 var t=e.target;if(t&&(t.tagName==='INPUT'||t.tagName==='SELECT'||t.tagName==='TEXTAREA')){
  if(e.key==='Escape')t.blur();return;}
 if(e.ctrlKey||e.metaKey||e.altKey)return;
 var r=state.shown[state.focus];var k=e.key;
 if(k==='j'||k==='ArrowDown'){setFocus(Math.min(state.focus+1,state.shown.length-1),true);}
 else if(k==='k'||k==='ArrowUp'){setFocus(Math.max(state.focus-1,0),true);}
 else if(k==='/'){$('f-search').focus();}
 else if(k===']'){$('next').click();}else if(k==='['){$('prev').click();}
 else if(k==='e'){exportCsv();}
 else if(r&&/^[1-9]$/.test(k)&&r.cands[Number(k)-1]){decide(r,'same',r.cands[Number(k)-1].pid);
  setFocus(Math.min(state.focus+1,state.shown.length-1),true);}
 else if(r&&(k==='x'||k==='d')){decide(r,'different','');
  setFocus(Math.min(state.focus+1,state.shown.length-1),true);}
 else if(r&&(k==='u'||k==='c')){decide(r,'unsure','');
  setFocus(Math.min(state.focus+1,state.shown.length-1),true);}
 else if(r&&(k==='0'||k==='Backspace')){decide(r,'','');}
 else if(r&&k==='n'){var c=document.querySelector('[data-rec="'+r._i+'"] input.note');
  if(c)c.focus();}
 else return;e.preventDefault();});
render();
})();
"""
