/**
 * Compact encoding of per-site figures in a tick. A global tick carries every site (2,000+),
 * so JSON would be too large; this layout keeps counts exact (varints hold any integer up to
 * 2^53) and rates at float32 precision, which is plenty for a map.
 *
 * Layout for n sites, in the scope tree's site order:
 *   n × float32 little-endian: data-flow rate (bytes in + out per second)
 *   then per site three unsigned LEB128 varints: devices, degraded, offline
 * online = devices - degraded - offline.
 */
export interface SiteFigures {
  devices: Float64Array;
  online: Float64Array;
  degraded: Float64Array;
  offline: Float64Array;
  flowRate: Float64Array;
}

export function allocSiteFigures(n: number): SiteFigures {
  return {
    devices: new Float64Array(n),
    online: new Float64Array(n),
    degraded: new Float64Array(n),
    offline: new Float64Array(n),
    flowRate: new Float64Array(n),
  };
}

const VARINT_MAX_BYTES = 8; // 2^53 needs 8 bytes of 7 bits

function writeVarint(out: Uint8Array, pos: number, value: number): number {
  let v = value;
  // Above 2^31 bit operators would truncate, so split with arithmetic.
  while (v >= 0x80) {
    out[pos++] = (v % 0x80) | 0x80;
    v = Math.floor(v / 0x80);
  }
  out[pos++] = v;
  return pos;
}

export function encodeSiteFigures(f: SiteFigures, n: number): Uint8Array {
  const out = new Uint8Array(n * 4 + n * 3 * VARINT_MAX_BYTES);
  const view = new DataView(out.buffer);
  for (let i = 0; i < n; i++) view.setFloat32(i * 4, f.flowRate[i]!, true);
  let pos = n * 4;
  for (let i = 0; i < n; i++) {
    pos = writeVarint(out, pos, f.devices[i]!);
    pos = writeVarint(out, pos, f.degraded[i]!);
    pos = writeVarint(out, pos, f.offline[i]!);
  }
  return out.slice(0, pos);
}

function asBytes(data: ArrayBuffer | ArrayBufferView): Uint8Array {
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** Decodes what {@link encodeSiteFigures} wrote; throws on a truncated buffer. */
export function decodeSiteFigures(data: ArrayBuffer | ArrayBufferView, n: number): SiteFigures {
  const bytes = asBytes(data);
  if (bytes.byteLength < n * 4) throw new RangeError('site figures: buffer too short');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const f = allocSiteFigures(n);
  for (let i = 0; i < n; i++) f.flowRate[i] = view.getFloat32(i * 4, true);
  let pos = n * 4;
  const read = (): number => {
    let value = 0;
    let scale = 1;
    for (;;) {
      if (pos >= bytes.length) throw new RangeError('site figures: truncated varint');
      const b = bytes[pos++]!;
      value += (b & 0x7f) * scale;
      if (b < 0x80) return value;
      scale *= 0x80;
    }
  };
  for (let i = 0; i < n; i++) {
    const devices = read();
    const degraded = read();
    const offline = read();
    f.devices[i] = devices;
    f.degraded[i] = degraded;
    f.offline[i] = offline;
    f.online[i] = devices - degraded - offline;
  }
  return f;
}
