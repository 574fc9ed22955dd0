import { api } from './api.js';

// Chinese by default; the switch shows English. Data (codes, names, titles) stays as stored.
let english = false;
const listeners = [];

export const isEnglish = () => english;
export function toggleLanguage() {
  english = !english;
  document.documentElement.lang = english ? 'en' : 'zh-CN';
  for (const listener of listeners) listener();
}
/** Runs `redraw` now and after every switch. */
export function onLanguage(redraw) { listeners.push(redraw); redraw(); }

// UI strings: key → [中文, English].
const strings = {
  language: ['English', '中文'],
  layers: ['图层', 'Layers'],
  patrolStatus: ['巡查状态', 'Patrol status'],
  unassigned: ['无责任人', 'Nobody responsible'],
  lastVisit: ['最近巡查', 'Last visit'],
  nextDue: ['下次到期', 'Next due'],
  responsible: ['责任人', 'Responsible'],
  none: ['无', 'none'],
  alarms: ['告警', 'Alarms'],
  coverage: ['巡查覆盖', 'Coverage'],
  search: ['搜索名称或编码', 'Search name or code'],
  orKeyword: ['，或：', ', or: '],
  noHits: ['无结果', 'No match'],
  allStates: ['全部状态', 'All states'],
  allKinds: ['全部类型', 'All kinds'],
  allTowns: ['全部镇街', 'All towns'],
  refresh: ['刷新', 'Refresh'],
  ack: ['接报', 'Acknowledge'],
  assign: ['指派核查', 'Assign'],
  assignee: ['核查人', 'Assignee'],
  deadline: ['期限', 'Deadline'],
  close: ['核查反馈并关闭', 'Close with feedback'],
  outcome: ['结论', 'Outcome'],
  feedback: ['反馈', 'Feedback'],
  reopen: ['重新打开', 'Reopen'],
  reason: ['原因', 'Reason'],
  history: ['处置记录', 'History'],
  notifications: ['通知', 'Notifications'],
  delivered: ['已送达', 'Delivered'],
  pending: ['待发送', 'Pending'],
  failed: ['发送失败', 'Failed'],
  due: ['计划', 'Due'],
  event_raised: ['新告警', 'Raised'],
  event_severity_raised: ['级别升高', 'Severity raised'],
  event_ack_escalated: ['超时未接报上报', 'Escalated (not acknowledged)'],
  started: ['开始时间', 'Started'],
  state: ['状态', 'State'],
  object: ['对象', 'Object'],
  version: ['版本', 'version'],
  moved: ['该告警已被他人更新，已重新载入', 'Someone else changed this alarm; reloaded'],
  noAlarms: ['无告警', 'No alarms'],
  from: ['起', 'From'],
  to: ['止', 'To'],
  show: ['显示', 'Show'],
  clear: ['清除', 'Clear'],
  visited: ['时段内从未逾期（每个周期都有巡查）', 'Never overdue in the period (a visit in every interval)'],
  missed: ['时段内曾逾期', 'Overdue at some time in the period'],
  nowStatus: ['地图颜色为当前巡查状态，与所选时段无关', 'Map colours show the patrol status now, not the period'],
  ringVisited: ['绿圈：时段内从未逾期', 'Green ring: never overdue in the period'],
  ringMissed: ['红圈：时段内曾逾期', 'Red ring: overdue at some time in the period'],
  swath: ['蓝带：巡查轨迹及其覆盖宽度', 'Blue band: patrol tracks and the width they cover'],
  shafts: ['井口数', 'Shafts'],
  km: ['里程(km)', 'Distance (km)'],
  hours: ['时长(h)', 'Hours'],
  area: ['覆盖面积(km²,按网格)', 'Area covered (km², grid cells)'],
  devices: ['终端数', 'Devices'],
  class: ['等别', 'Class'],
  overhead: ['头顶库', 'Overhead pond (头顶库)'],
  yes: ['是', 'yes'],
  no: ['否', 'no'],
  unknown: ['未知', 'unknown'],
  band: ['开采标高', 'Elevation band'],
  village: ['村社区', 'Village'],
  work: ['填报', 'Forms'],
  demoData: ['演示数据', 'Demo data'],
  demoHint: ['演示人员、设备与轨迹；用 ./geomine demo remove 删除', 'Demo persons, devices and tracks; ./geomine demo remove takes them away'],
  dutyRoster: ['值班表', 'Duty roster'],
  dutyNext7: ['今后7天', 'Next 7 days'],
  addDuty: ['安排值班', 'Add a shift'],
  dutyTown: ['镇街', 'Town'],
  dutyFrom: ['开始（北京时间）', 'From (China time)'],
  dutyTo: ['结束（北京时间）', 'To (China time)'],
  save: ['保存', 'Save'],
  sending: ['正在提交…', 'Sending…'],
  saved: ['已保存', 'Saved'],
  recordPatrol: ['填写巡查记录', 'Record a patrol'],
  editRegistry: ['修改登记信息', 'Edit the register'],
  registryChanges: ['修改记录', 'Changes'],
  assignPerson: ['指定责任人', 'Assign a person'],
  handOver: ['交接', 'Hand over'],
  inspect: ['登记检查', 'Record an inspection'],
  survey: ['登记坝顶测量', 'Record a crest survey'],
  person: ['巡查人', 'Patrolled by'],
  name: ['姓名', 'Name'],
  phone: ['手机', 'Mobile phone'],
  role: ['职责', 'Role'],
  fromTime: ['起始时间（北京时间）', 'From (China time)'],
  atTime: ['交接时间（北京时间）', 'At (China time)'],
  kind: ['方式', 'Kind'],
  seal: ['封闭情况', 'Seal as found'],
  remarks: ['情况说明', 'Remarks'],
  photos: ['照片', 'Photos'],
  lat: ['纬度（度，手机定位）', 'Latitude (degrees, phone GPS)'],
  lon: ['经度（度，手机定位）', 'Longitude (degrees, phone GPS)'],
  accuracy: ['定位精度（米）', 'Accuracy (m)'],
  locating: ['正在获取手机位置…', 'Getting the phone\'s position…'],
  located: ['已取得手机位置', 'Position from the phone'],
  noLocation: ['未能取得位置：现场巡查须填写经纬度', 'No position: an on-site record needs latitude and longitude'],
  inspectionKind: ['检查类型', 'Inspection'],
  doneOn: ['日期', 'Day'],
  inspector: ['检查人', 'Inspector'],
  findings: ['发现问题', 'Findings'],
  document: ['文件编号', 'Document no.'],
  surveyedOn: ['测量日期', 'Surveyed on'],
  crest: ['坝顶标高（米）', 'Crest elevation (m)'],
  source: ['测量单位', 'Measured by'],
  recordSaved: ['巡查记录已保存', 'Patrol record saved'],
  atSite: ['在井口范围内', 'at the shaft'],
  notAtSite: ['不在井口范围内', 'not at the shaft'],
  metresAway: ['距井口', 'from the shaft'],
  pondClass: ['尾矿库等别', 'Tailings pond class'],
  class1: ['一等库', 'Class 1'],
  class2: ['二等库', 'Class 2'],
  class3: ['三等库', 'Class 3'],
  class4: ['四等库', 'Class 4'],
  class5: ['五等库', 'Class 5'],
  severity: ['告警级别', 'Alarm severity'],
  downstream: ['下游1公里内', 'Within 1 km downstream'],
  alongPath: ['沿程', 'along the path'],
  people: ['人', 'people'],
  band_unknown: ['未知：不检查超层', 'unknown: 超层 (out-of-band mining) not checked'],
};
export const t = (key) => (strings[key] ? strings[key][english ? 1 : 0] : key);

// Names of fields and codes are the server's (one list each): the layers' fields and their code values
// (GET /api/layers), patrol statuses, roles, severities, alarm states and outcomes (GET /api/codes) and the alarm kinds
// (GET /api/alarms/kinds). A code is looked up in its own list when the caller names it (a mine's "closed" is 已关闭, a
// pond's 闭库), else in any list.
const fieldLabels = {}; // field → [zh, en]
const codeLabels = {}; // list → code → [zh, en]; list '*' holds every code
function addCode(list, code, zh, en) {
  (codeLabels[list] ??= {})[code] = [zh, en];
  (codeLabels['*'] ??= {})[code] ??= [zh, en];
}
/** The fields of GET /api/layers' layers: their names, and the names of their codes (list "layer.field"). */
export function addLayerFields(layers) {
  for (const layer of layers) {
    for (const field of layer.fields) {
      fieldLabels[field.name] = [field.label_zh, field.label_en];
      for (const c of field.codes) addCode(`${layer.id}.${field.name}`, c.code, c.zh, c.en);
    }
  }
}
/** Code lists: [list, [[code, zh, en], …]]. */
export function addCodeNames(list, entries) { for (const [code, zh, en] of entries) addCode(list, code, zh, en); }
export const codesLoaded = api('/api/codes')
  .then((lists) => { for (const l of lists) addCodeNames(l.list, l.codes.map((c) => [c.code, c.zh, c.en])); });
/** The codes of a server list, in its order (for a form's choices). */
export const codesOf = (list) => Object.keys(codeLabels[list] ?? {});
export const fieldName = (key) => fieldLabels[key]?.[english ? 1 : 0] ?? key;
export const codeName = (value, list = '*') => {
  if (typeof value === 'boolean') return t(value ? 'yes' : 'no');
  const names = codeLabels[list]?.[value] ?? codeLabels['*']?.[value];
  return names ? names[english ? 1 : 0] : String(value);
};

/** "2026-11-20T09:30:00+08:00" → "2026-11-20 09:30" (the server sends China time). */
export const chinaTime = (iso) => (iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)}` : '—');
