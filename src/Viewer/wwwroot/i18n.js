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
  ok: ['按期巡查', 'Patrolled'],
  due_soon: ['即将到期', 'Due soon'],
  overdue: ['逾期未巡查', 'Overdue'],
  never_visited: ['从未巡查', 'Never visited'],
  unassigned: ['无责任人', 'Nobody responsible'],
  lastVisit: ['最近巡查', 'Last visit'],
  nextDue: ['下次到期', 'Next due'],
  responsible: ['责任人', 'Responsible'],
  none: ['无', 'none'],
  alarms: ['告警', 'Alarms'],
  coverage: ['巡查覆盖', 'Coverage'],
  search: ['搜索名称或编码', 'Search name or code'],
  noHits: ['无结果', 'No match'],
  allStates: ['全部状态', 'All states'],
  allKinds: ['全部类型', 'All kinds'],
  allTowns: ['全部镇街', 'All towns'],
  raised: ['监测预警', 'Raised'],
  acknowledged: ['已接报', 'Acknowledged'],
  verifying: ['核查中', 'Verifying'],
  closed: ['已关闭', 'Closed'],
  refresh: ['刷新', 'Refresh'],
  ack: ['接报', 'Acknowledge'],
  assign: ['指派核查', 'Assign'],
  assignee: ['核查人', 'Assignee'],
  deadline: ['期限', 'Deadline'],
  close: ['核查反馈并关闭', 'Close with feedback'],
  outcome: ['结论', 'Outcome'],
  confirmed: ['属实', 'Confirmed'],
  false_alarm: ['误报', 'False alarm'],
  handled: ['已处置', 'Handled'],
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
  visited: ['周期内已巡查', 'Visited within interval'],
  missed: ['未按期巡查', 'Missed'],
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
  band_unknown: ['未知：不检查超层', 'unknown: 超层 (out-of-band mining) not checked'],
};
export const t = (key) => (strings[key] ? strings[key][english ? 1 : 0] : key);

// Field names and code values of the layers' export fields, for the details popup.
const fieldNames = { code: '编码', name: '名称', mine: '所属矿山', town: '镇街', status: '状态', licence: '许可证号', holder: '采矿权人',
  upper_m: '开采标高上限(米)', lower_m: '开采标高下限(米)', sealed_on: '封闭日期', seal_meth: '封闭方式', elev_m: '井口标高(米)',
  operator: '企业', storage: '总库容(万m³)', dam_h_m: '坝高(米)', kind: '类型', population: '人口', patrol_status: '巡查状态',
  unassigned: '无责任人' };
const codeNames = { intact: '完好', damaged: '破损', opened: '被打开', backfilled: '已回填', closing: '关闭中', closed: '已关闭',
  sealed: '已封闭', stopped: '停产', in_use: '在用', disused: '停用', deregistered: '已销号', no_operator: '无主',
  residential: '居民点', school: '学校', hospital: '医院', factory: '工厂', other: '其他',
  responsible_person: '一对一责任人', lead_leader: '包保领导', village_cadre: '村干部', patrol_member: '巡查队员',
  government_leader: '政府领导', regulator: '监管人员', enterprise_principal: '企业负责人',
  blue: '蓝色', yellow: '黄色', orange: '橙色', red: '红色' };
// Labels of codes whose list the server owns (alarm kinds: GET /api/alarms/kinds): code → [中文, English].
const serverNames = {};
export function addCodeNames(entries) { for (const [code, zh, en] of entries) serverNames[code] = [zh, en]; }
export const fieldName = (key) => (english ? key : fieldNames[key] ?? key);
export const codeName = (value) => {
  if (typeof value === 'boolean') return t(value ? 'yes' : 'no');
  if (serverNames[value]) return serverNames[value][english ? 1 : 0];
  if (english) return String(value);
  return codeNames[value] ?? strings[value]?.[0] ?? String(value);
};

/** "2026-11-20T09:30:00+08:00" → "2026-11-20 09:30" (the server sends China time). */
export const chinaTime = (iso) => (iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)}` : '—');
