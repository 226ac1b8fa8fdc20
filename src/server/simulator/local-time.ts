/**
 * Local hour and weekday of every site, from its IANA zone. Offsets are looked up through Intl
 * once per zone per hour of clock time (DST changes on the hour almost everywhere).
 */
export class LocalTime {
  private readonly zones: string[] = [];
  private readonly siteZone: Uint16Array;
  private readonly offsetMs: Float64Array;
  private validHour = Number.NaN;
  private readonly formats: Intl.DateTimeFormat[];

  constructor(timeZones: readonly string[]) {
    const index = new Map<string, number>();
    this.siteZone = new Uint16Array(timeZones.length);
    timeZones.forEach((tz, i) => {
      let z = index.get(tz);
      if (z === undefined) {
        z = this.zones.length;
        index.set(tz, z);
        this.zones.push(tz);
      }
      this.siteZone[i] = z;
    });
    this.offsetMs = new Float64Array(this.zones.length);
    this.formats = this.zones.map(
      (timeZone) => new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' }),
    );
  }

  private refresh(t: number): void {
    const hour = Math.floor(t / 3_600_000);
    if (hour === this.validHour) return;
    this.validHour = hour;
    const at = new Date(t);
    this.formats.forEach((f, z) => {
      const name = f.formatToParts(at).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
      const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
      this.offsetMs[z] = m
        ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 3_600_000 + Number(m[3]) * 60_000)
        : 0;
    });
  }

  /** Milliseconds east of UTC of site `i` at time t. */
  offset(i: number, t: number): number {
    this.refresh(t);
    return this.offsetMs[this.siteZone[i]!]!;
  }
}
