/**
 * Fields of a `trace-cmd report` event. Most payloads are the kernel's print fmt (or, with
 * -R, raw `field=value` pairs) and decode like ftrace's; trace-cmd's plugins print a few
 * events their own way (plugins/plugin_sched_switch.c in libtraceevent):
 *   sched_switch   `bash:30603 [120] S ==> chromium:30247 [120]`
 *   sched_wakeup   `ip:456 [120] CPU:001` (also sched_wakeup_new, sched_waking;
 *                  older versions add ` success=1`)
 * Those are given the tracepoint's own field names, as `-R` would print them.
 */
import { decodeFtracePayload } from '../ftrace/payload';
import type { DecodedPayload } from '../decoded';

const SWITCH = /^(.+?):(-?\d+) \[(-?\d+)\] (\S+) ==> (.+?):(-?\d+) \[(-?\d+)\]\s*$/;
const WAKEUP = /^(.+?):(-?\d+) \[(-?\d+)\](?: success=(\d+))? CPU:(\d+)\s*$/;

export function decodeTraceCmdPayload(event: string, payload: string, record: string): DecodedPayload {
  const nl = payload.indexOf('\n');
  const first = nl < 0 ? payload : payload.slice(0, nl);
  if (event === 'sched_switch') {
    const m = SWITCH.exec(first);
    if (m) {
      return {
        fields: {
          prev_comm: m[1] as string,
          prev_pid: m[2] as string,
          prev_prio: m[3] as string,
          prev_state: m[4] as string,
          next_comm: m[5] as string,
          next_pid: m[6] as string,
          next_prio: m[7] as string,
        },
      };
    }
  } else if (event === 'sched_wakeup' || event === 'sched_wakeup_new' || event === 'sched_waking') {
    const m = WAKEUP.exec(first);
    if (m) {
      const fields: Record<string, string> = { comm: m[1] as string, pid: m[2] as string, prio: m[3] as string };
      if (m[4] !== undefined) fields.success = m[4];
      fields.target_cpu = m[5] as string;
      return { fields };
    }
  }
  return decodeFtracePayload(event, payload, record);
}
