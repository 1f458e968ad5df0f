// WebGL2 image renderer. The image lives in R32F textures (tiles no larger than MAX_TEXTURE_SIZE), the mask in
// R32I textures; limits → stretch (astropy formulas, same as core/display/stretch.ts) → 256-entry colormap LUT
// → mask-plane blending all happen in the fragment shader, so a stretch, colormap or mask change is one draw.
import { colormapLut, LUT_SIZE } from '../../../core/display/colormaps.js';
import { colorToRgb } from '../../../core/display/maskPlanes.js';
import { stretchParameter, type StretchName } from '../../../core/display/stretch.js';
import { HISTEQ_TABLE_SIZE, type ImageRenderer, type RenderSettings } from './imageRenderer.js';
import type { View } from './viewTransform.js';

const STRETCH_CODES: Record<StretchName, number> = { linear: 0, log: 1, sqrt: 2, asinh: 3, power: 4, squared: 5, sinh: 6, histeq: 7 };

const VERTEX = `#version 300 es
in vec2 a_pos;
void main() { gl_Position = vec4(a_pos, 0.0, 1.0); }`;

const FRAGMENT = `#version 300 es
precision highp float;
precision highp int;
uniform highp sampler2D u_image;
uniform highp isampler2D u_mask;
uniform sampler2D u_lut;
uniform highp sampler2D u_histeq;
uniform vec2 u_canvas;      // device pixels
uniform vec2 u_center;      // image point at the canvas centre
uniform float u_zoom;       // device pixels per image pixel
uniform ivec2 u_full;       // full image size
uniform int u_sampling;     // texels are every u_sampling-th pixel
uniform ivec2 u_tileOrigin; // first texel of this tile (in sampled texels)
uniform ivec2 u_tileSize;
uniform vec2 u_limits;
uniform int u_stretch;
uniform float u_a;
uniform int u_hasMask;
uniform int u_maskBits;
uniform vec4 u_planeColor[32];
out vec4 outColor;

float stretchValue(float x) {
  if (u_stretch == 0) return x;
  if (u_stretch == 1) return log(u_a * x + 1.0) / log(u_a + 1.0);
  if (u_stretch == 2) return sqrt(x);
  if (u_stretch == 3) return asinh(x / u_a) / asinh(1.0 / u_a);
  if (u_stretch == 4) return x <= 0.0 ? 0.0 : pow(x, u_a);
  if (u_stretch == 5) return x * x;
  if (u_stretch == 6) return sinh(x / u_a) / sinh(1.0 / u_a);
  float pos = x * float(${HISTEQ_TABLE_SIZE - 1});
  int i = min(int(floor(pos)), ${HISTEQ_TABLE_SIZE - 2});
  float t0 = texelFetch(u_histeq, ivec2(i, 0), 0).r;
  float t1 = texelFetch(u_histeq, ivec2(i + 1, 0), 0).r;
  return t0 + (pos - float(i)) * (t1 - t0);
}

void main() {
  vec2 p = gl_FragCoord.xy - 0.5 * u_canvas;
  vec2 img = u_center + p / u_zoom;
  ivec2 ip = ivec2(floor(img + 0.5));
  if (ip.x < 0 || ip.y < 0 || ip.x >= u_full.x || ip.y >= u_full.y) discard;
  ivec2 t = ip / u_sampling - u_tileOrigin;
  if (t.x < 0 || t.y < 0 || t.x >= u_tileSize.x || t.y >= u_tileSize.y) discard;
  float v = texelFetch(u_image, t, 0).r;
  if (isnan(v) || isinf(v)) { outColor = vec4(0.0); return; }
  float x = clamp((v - u_limits.x) / (u_limits.y - u_limits.x), 0.0, 1.0);
  float s = clamp(stretchValue(x), 0.0, 1.0);
  int li = int(floor(s * float(${LUT_SIZE - 1}) + 0.5));
  vec3 color = texelFetch(u_lut, ivec2(li, 0), 0).rgb;
  if (u_hasMask == 1 && u_maskBits != 0) {
    int m = texelFetch(u_mask, t, 0).r & u_maskBits;
    if (m != 0) {
      for (int k = 0; k < 32; k++) {
        if ((m & (1 << k)) != 0) color = mix(color, u_planeColor[k].rgb, u_planeColor[k].a);
      }
    }
  }
  outColor = vec4(color, 1.0);
}`;

interface Tile {
  x0: number;
  y0: number;
  width: number;
  height: number;
  image: WebGLTexture;
  mask: WebGLTexture | null;
}

function compile(gl: WebGL2RenderingContext, type: number, source: string): WebGLShader {
  const shader = gl.createShader(type);
  if (!shader) throw new Error('WebGL2: cannot create a shader');
  gl.shaderSource(shader, source);
  gl.compileShader(shader);
  if (!gl.getShaderParameter(shader, gl.COMPILE_STATUS)) throw new Error(`WebGL2 shader does not compile: ${gl.getShaderInfoLog(shader) ?? ''}`);
  return shader;
}

export class GlImageRenderer implements ImageRenderer {
  readonly kind = 'webgl2' as const;
  private readonly program: WebGLProgram;
  private readonly uniforms = new Map<string, WebGLUniformLocation | null>();
  private tiles: Tile[] = [];
  private sampling = 1;
  private full = { width: 0, height: 0 };
  private readonly lutTexture: WebGLTexture;
  private readonly histeqTexture: WebGLTexture;
  private readonly emptyMask: WebGLTexture;
  private lutName = '';
  private histeqTable: Float32Array | null = null;
  private hasMask = false;
  hasFullImage = false;

  static create(canvas: HTMLCanvasElement): GlImageRenderer | null {
    const gl = canvas.getContext('webgl2', { preserveDrawingBuffer: true, antialias: false, premultipliedAlpha: true });
    if (!gl) return null;
    try {
      return new GlImageRenderer(gl);
    } catch {
      return null;
    }
  }

  private constructor(private readonly gl: WebGL2RenderingContext) {
    const program = gl.createProgram();
    if (!program) throw new Error('WebGL2: cannot create a program');
    gl.attachShader(program, compile(gl, gl.VERTEX_SHADER, VERTEX));
    gl.attachShader(program, compile(gl, gl.FRAGMENT_SHADER, FRAGMENT));
    gl.linkProgram(program);
    if (!gl.getProgramParameter(program, gl.LINK_STATUS)) throw new Error(`WebGL2 program does not link: ${gl.getProgramInfoLog(program) ?? ''}`);
    this.program = program;
    gl.useProgram(program);
    const buffer = gl.createBuffer();
    gl.bindBuffer(gl.ARRAY_BUFFER, buffer);
    gl.bufferData(gl.ARRAY_BUFFER, new Float32Array([-1, -1, 1, -1, -1, 1, 1, 1]), gl.STATIC_DRAW);
    const loc = gl.getAttribLocation(program, 'a_pos');
    gl.enableVertexAttribArray(loc);
    gl.vertexAttribPointer(loc, 2, gl.FLOAT, false, 0, 0);
    gl.pixelStorei(gl.UNPACK_ALIGNMENT, 1);
    this.lutTexture = this.newTexture();
    this.histeqTexture = this.newTexture();
    gl.texImage2D(gl.TEXTURE_2D, 0, gl.R32F, HISTEQ_TABLE_SIZE, 1, 0, gl.RED, gl.FLOAT, new Float32Array(HISTEQ_TABLE_SIZE));
    this.emptyMask = this.newTexture();
    gl.texImage2D(gl.TEXTURE_2D, 0, gl.R32I, 1, 1, 0, gl.RED_INTEGER, gl.INT, new Int32Array(1));
    gl.uniform1i(this.u('u_image'), 0);
    gl.uniform1i(this.u('u_mask'), 1);
    gl.uniform1i(this.u('u_lut'), 2);
    gl.uniform1i(this.u('u_histeq'), 3);
  }

  private u(name: string): WebGLUniformLocation | null {
    if (!this.uniforms.has(name)) this.uniforms.set(name, this.gl.getUniformLocation(this.program, name));
    return this.uniforms.get(name) ?? null;
  }

  private newTexture(): WebGLTexture {
    const gl = this.gl;
    const t = gl.createTexture();
    if (!t) throw new Error('WebGL2: cannot create a texture');
    gl.bindTexture(gl.TEXTURE_2D, t);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, gl.NEAREST);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MAG_FILTER, gl.NEAREST);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_S, gl.CLAMP_TO_EDGE);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_T, gl.CLAMP_TO_EDGE);
    return t;
  }

  private dropTiles(): void {
    for (const t of this.tiles) {
      this.gl.deleteTexture(t.image);
      if (t.mask) this.gl.deleteTexture(t.mask);
    }
    this.tiles = [];
  }

  /** Splits width×height into tiles the GPU accepts. */
  private tileGrid(width: number, height: number): Array<{ x0: number; y0: number; width: number; height: number }> {
    const max = Math.min(this.gl.getParameter(this.gl.MAX_TEXTURE_SIZE) as number, 8192);
    const out = [];
    for (let y0 = 0; y0 < height; y0 += max) for (let x0 = 0; x0 < width; x0 += max) out.push({ x0, y0, width: Math.min(max, width - x0), height: Math.min(max, height - y0) });
    return out;
  }

  setImage(data: Float32Array, width: number, height: number, sampling: number, fullWidth: number, fullHeight: number): void {
    const gl = this.gl;
    this.dropTiles();
    this.sampling = sampling;
    this.full = { width: fullWidth, height: fullHeight };
    this.hasFullImage = sampling === 1;
    this.hasMask = false;
    for (const g of this.tileGrid(width, height)) {
      const image = this.newTexture();
      // Tiles narrower than the image are uploaded through UNPACK_ROW_LENGTH/SKIP, without copying.
      gl.pixelStorei(gl.UNPACK_ROW_LENGTH, width);
      gl.pixelStorei(gl.UNPACK_SKIP_PIXELS, g.x0);
      gl.pixelStorei(gl.UNPACK_SKIP_ROWS, g.y0);
      gl.texImage2D(gl.TEXTURE_2D, 0, gl.R32F, g.width, g.height, 0, gl.RED, gl.FLOAT, data);
      this.tiles.push({ ...g, image, mask: null });
    }
    gl.pixelStorei(gl.UNPACK_ROW_LENGTH, 0);
    gl.pixelStorei(gl.UNPACK_SKIP_PIXELS, 0);
    gl.pixelStorei(gl.UNPACK_SKIP_ROWS, 0);
  }

  setMask(data: Int32Array | null): void {
    const gl = this.gl;
    for (const t of this.tiles) {
      if (t.mask) gl.deleteTexture(t.mask);
      t.mask = null;
    }
    this.hasMask = false;
    if (!data || this.sampling !== 1) return;
    if (data.length !== this.full.width * this.full.height) throw new Error(`mask has ${data.length} values, the image ${this.full.width}×${this.full.height}`);
    gl.pixelStorei(gl.UNPACK_ROW_LENGTH, this.full.width);
    for (const t of this.tiles) {
      t.mask = this.newTexture();
      gl.pixelStorei(gl.UNPACK_SKIP_PIXELS, t.x0);
      gl.pixelStorei(gl.UNPACK_SKIP_ROWS, t.y0);
      gl.texImage2D(gl.TEXTURE_2D, 0, gl.R32I, t.width, t.height, 0, gl.RED_INTEGER, gl.INT, data);
    }
    gl.pixelStorei(gl.UNPACK_ROW_LENGTH, 0);
    gl.pixelStorei(gl.UNPACK_SKIP_PIXELS, 0);
    gl.pixelStorei(gl.UNPACK_SKIP_ROWS, 0);
    this.hasMask = true;
  }

  render(view: View, settings: RenderSettings): void {
    const gl = this.gl;
    const canvas = gl.canvas as HTMLCanvasElement;
    const dpr = canvas.width / Math.max(1, canvas.clientWidth || canvas.width);
    gl.viewport(0, 0, canvas.width, canvas.height);
    gl.clearColor(0, 0, 0, 0);
    gl.clear(gl.COLOR_BUFFER_BIT);
    if (this.tiles.length === 0) return;
    gl.useProgram(this.program);
    if (this.lutName !== settings.colormap) {
      gl.activeTexture(gl.TEXTURE2);
      gl.bindTexture(gl.TEXTURE_2D, this.lutTexture);
      gl.texImage2D(gl.TEXTURE_2D, 0, gl.RGBA8, LUT_SIZE, 1, 0, gl.RGBA, gl.UNSIGNED_BYTE, colormapLut(settings.colormap));
      this.lutName = settings.colormap;
    }
    if (settings.stretch.name === 'histeq') {
      if (!settings.histEqTable) throw new Error('histeq stretch without its table');
      if (settings.histEqTable !== this.histeqTable) {
        gl.activeTexture(gl.TEXTURE3);
        gl.bindTexture(gl.TEXTURE_2D, this.histeqTexture);
        gl.texImage2D(gl.TEXTURE_2D, 0, gl.R32F, HISTEQ_TABLE_SIZE, 1, 0, gl.RED, gl.FLOAT, settings.histEqTable);
        this.histeqTable = settings.histEqTable;
      }
    }
    gl.activeTexture(gl.TEXTURE2);
    gl.bindTexture(gl.TEXTURE_2D, this.lutTexture);
    gl.activeTexture(gl.TEXTURE3);
    gl.bindTexture(gl.TEXTURE_2D, this.histeqTexture);
    gl.uniform2f(this.u('u_canvas'), canvas.width, canvas.height);
    gl.uniform2f(this.u('u_center'), view.cx, view.cy);
    gl.uniform1f(this.u('u_zoom'), view.zoom * dpr);
    gl.uniform2i(this.u('u_full'), this.full.width, this.full.height);
    gl.uniform1i(this.u('u_sampling'), this.sampling);
    const { min, max } = settings.limits;
    gl.uniform2f(this.u('u_limits'), min, max === min ? min + 1 : max);
    gl.uniform1i(this.u('u_stretch'), STRETCH_CODES[settings.stretch.name]);
    gl.uniform1f(this.u('u_a'), settings.stretch.name === 'histeq' ? 1 : stretchParameter(settings.stretch) || 1);
    let bits = 0;
    const colors = new Float32Array(32 * 4);
    for (const layer of settings.maskLayers) {
      if (!layer.visible || layer.opacity <= 0) continue;
      bits |= 1 << layer.plane.bit;
      const [r, g, b] = colorToRgb(layer.plane.color);
      colors.set([r / 255, g / 255, b / 255, Math.min(1, layer.opacity)], layer.plane.bit * 4);
    }
    gl.uniform1i(this.u('u_hasMask'), this.hasMask ? 1 : 0);
    gl.uniform1i(this.u('u_maskBits'), bits);
    gl.uniform4fv(this.u('u_planeColor[0]'), colors);
    for (const t of this.tiles) {
      gl.activeTexture(gl.TEXTURE0);
      gl.bindTexture(gl.TEXTURE_2D, t.image);
      gl.activeTexture(gl.TEXTURE1);
      gl.bindTexture(gl.TEXTURE_2D, t.mask ?? this.emptyMask);
      gl.uniform2i(this.u('u_tileOrigin'), t.x0, t.y0);
      gl.uniform2i(this.u('u_tileSize'), t.width, t.height);
      gl.drawArrays(gl.TRIANGLE_STRIP, 0, 4);
    }
  }

  /** Waits until the GPU has finished (for honest timings). */
  finish(): void {
    this.gl.finish();
  }

  dispose(): void {
    this.dropTiles();
    this.gl.deleteTexture(this.lutTexture);
    this.gl.deleteTexture(this.histeqTexture);
    this.gl.deleteTexture(this.emptyMask);
    this.gl.deleteProgram(this.program);
  }
}
