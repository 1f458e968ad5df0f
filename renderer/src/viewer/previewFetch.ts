// The first frame's data: a subsample of the HDU (every f-th pixel, about screen resolution at the fitted zoom)
// with the service's zscale of the full HDU in headers. It is small (a few MB) and needs no decoding, so the UI
// thread fetches it directly: it never waits behind the worker's statistics of the image viewed before.

export interface Preview {
  data: Float32Array;
  width: number;
  height: number;
  factor: number;
  zscale: { min: number; max: number };
}

export async function fetchPreview(url: string, factor: number, signal: AbortSignal): Promise<Preview> {
  const res = await fetch(url, { signal });
  if (!res.ok) throw new Error(`preview: ${res.status} ${(await res.text()).trim()}`);
  const width = Number(res.headers.get('x-image-width'));
  const height = Number(res.headers.get('x-image-height'));
  const min = Number(res.headers.get('x-zscale-min'));
  const max = Number(res.headers.get('x-zscale-max'));
  const data = new Float32Array(await res.arrayBuffer());
  if (data.length !== width * height) throw new Error(`preview: got ${data.length} values, expected ${width}×${height}`);
  if (!Number.isFinite(min) || !Number.isFinite(max)) throw new Error('preview: the service sent no zscale limits');
  return { data, width, height, factor, zscale: { min, max } };
}
