/**
 * How CloudWatch writes numbers and times into state reasons, as seen in real alarm notifications:
 *   "Threshold Crossed: 1 out of the last 1 datapoints [0.0666851903306472 (01/10/19 13:46:00)] was not greater
 *    than the threshold (50.0) (minimum 1 datapoint for ALARM -> OK transition)."
 *   reasonData "queryDate":"2019-10-01T13:56:40.985+0000"
 *   composite: "arn:...:alarm:x transitioned to ALARM at Sunday 30 October, 2022 20:47:35 UTC"
 * Numbers follow Java's Double.toString (the service is written in Java): 50 -> "50.0", 1e7 -> "1.0E7".
 */

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

export function javaDouble(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  const magnitude = Math.abs(value);
  if (magnitude >= 1e-3 && magnitude < 1e7) return Number.isInteger(value) ? value.toFixed(1) : String(value);
  const [mantissa = '', exponent = ''] = value.toExponential().split('e');
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${exponent.replace('+', '')}`;
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}

/** dd/MM/yy HH:mm:ss in UTC, the datapoint time in a state reason. */
export function reasonDate(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCFullYear() % 100)} ${clock(d)}`;
}

/** 2019-10-01T13:56:40.985+0000, the timestamps inside StateReasonData and history data. */
export function reasonDataDate(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

/** Sunday 30 October, 2022 20:47:35 UTC, the time in a composite alarm's state reason. */
export function longDate(ms: number): string {
  const d = new Date(ms);
  return `${WEEKDAYS[d.getUTCDay()]} ${pad(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]}, ${d.getUTCFullYear()} ${clock(d)} UTC`;
}

function clock(d: Date): string {
  return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** "1 datapoint" / "3 datapoints". */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** "was" / "were". */
export function verb(count: number): string {
  return count === 1 ? 'was' : 'were';
}
