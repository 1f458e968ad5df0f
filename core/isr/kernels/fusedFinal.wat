;; The fused ISR band kernel for the final-image-variance configuration (ccdproc's chain), in
;; WebAssembly SIMD: four float32 pixels per instruction, IEEE single-precision arithmetic, so the
;; results equal the JavaScript kernel's Math.fround after every step, bit for bit.
;; Assemble: wat2wasm fusedFinal.wat (wabt, npm package "wabt"); fusedFinalWasm.ts
;; embeds the bytes.
;;
;; band(raw, rawStride, bias, biasStride, dark, darkStride, flat, flatStride,
;;      oimg, ovar, omask, outStride, w, rows, model, satRows, counts,
;;      sat, satBits, nanBits, darkC, gain, inv, rn2, negBits, flatScale)
;; processes `rows` rows of `w` pixels (w % 4 == 0) of one amplifier. Pointers and strides are in
;; bytes. `model` holds one float32 overscan value per row; `satRows` gets one byte per row (1 when
;; the row has a saturated pixel); `counts` accumulates three i32 counts (SAT, NaN, var <= 0).
;; flatScale 0 means the flat is used as given; otherwise it is divided by flatScale first
;; (float32 division, as the normalised flat plane would hold it).
;;
;; divide(ptr, n, s) divides n float32 values (n % 4 == 0) in place by s: a resident flat is
;; normalised once this way, rather than per pixel in every band call.
(module
  (memory (export "memory") 1)
  (func $sum4 (param $v v128) (result i32)
    (i32.add (i32.add (i32x4.extract_lane 0 (local.get $v)) (i32x4.extract_lane 1 (local.get $v)))
             (i32.add (i32x4.extract_lane 2 (local.get $v)) (i32x4.extract_lane 3 (local.get $v)))))
  (func (export "band")
    (param $raw i32) (param $rawStride i32) (param $bias i32) (param $biasStride i32)
    (param $dark i32) (param $darkStride i32) (param $flat i32) (param $flatStride i32)
    (param $oimg i32) (param $ovar i32) (param $omask i32) (param $outStride i32)
    (param $w i32) (param $rows i32) (param $model i32) (param $satRows i32) (param $counts i32)
    (param $sat f32) (param $satBits i32) (param $nanBits i32)
    (param $darkC f32) (param $gain f32) (param $inv f32) (param $rn2 f32) (param $negBits i32)
    (param $flatScale f32)
    (local $y i32) (local $off i32) (local $end i32) (local $doScale i32)
    (local $r v128) (local $v v128) (local $vr v128) (local $mask v128) (local $f v128)
    (local $ge v128) (local $bad v128) (local $neg v128) (local $rowSat v128)
    (local $cSat v128) (local $cNan v128) (local $cNeg v128)
    (local $vm v128) (local $vsat v128) (local $vdarkC v128) (local $vgain v128) (local $vinv v128) (local $vrn2 v128)
    (local $vscale v128) (local $vsatBits v128) (local $vnanBits v128) (local $vnegBits v128) (local $zero v128) (local $nan v128)
    (local.set $vsat (f32x4.splat (local.get $sat)))
    (local.set $vdarkC (f32x4.splat (local.get $darkC)))
    (local.set $vgain (f32x4.splat (local.get $gain)))
    (local.set $vinv (f32x4.splat (local.get $inv)))
    (local.set $vrn2 (f32x4.splat (local.get $rn2)))
    (local.set $vscale (f32x4.splat (local.get $flatScale)))
    (local.set $doScale (f32.ne (local.get $flatScale) (f32.const 0)))
    (local.set $vsatBits (i32x4.splat (local.get $satBits)))
    (local.set $vnanBits (i32x4.splat (local.get $nanBits)))
    (local.set $vnegBits (i32x4.splat (local.get $negBits)))
    (local.set $zero (f32x4.splat (f32.const 0)))
    (local.set $nan (f32x4.splat (f32.const nan)))
    (local.set $cSat (i32x4.splat (i32.const 0)))
    (local.set $cNan (i32x4.splat (i32.const 0)))
    (local.set $cNeg (i32x4.splat (i32.const 0)))
    (local.set $end (i32.shl (local.get $w) (i32.const 2)))
    (local.set $y (i32.const 0))
    (block $rowsDone
      (loop $nextRow
        (br_if $rowsDone (i32.ge_u (local.get $y) (local.get $rows)))
        (local.set $vm (f32x4.splat (f32.load (i32.add (local.get $model) (i32.shl (local.get $y) (i32.const 2))))))
        (local.set $rowSat (i32x4.splat (i32.const 0)))
        (local.set $off (i32.const 0))
        (block $done
          (loop $next
            (br_if $done (i32.ge_u (local.get $off) (local.get $end)))
            (local.set $r (v128.load (i32.add (local.get $raw) (local.get $off))))
            ;; SAT where raw >= saturation level
            (local.set $ge (f32x4.ge (local.get $r) (local.get $vsat)))
            (local.set $rowSat (v128.or (local.get $rowSat) (local.get $ge)))
            (local.set $cSat (i32x4.sub (local.get $cSat) (local.get $ge)))
            (local.set $mask (v128.and (local.get $ge) (local.get $vsatBits)))
            ;; v = (r - m) - bias
            (local.set $v (f32x4.sub (f32x4.sub (local.get $r) (local.get $vm))
                                     (v128.load (i32.add (local.get $bias) (local.get $off)))))
            ;; non-finite after bias → UNMASKEDNAN ((v - v) != 0 for NaN and ±Inf)
            (local.set $bad (f32x4.ne (f32x4.sub (local.get $v) (local.get $v)) (local.get $zero)))
            (local.set $cNan (i32x4.sub (local.get $cNan) (local.get $bad)))
            (local.set $mask (v128.or (local.get $mask) (v128.and (local.get $bad) (local.get $vnanBits))))
            ;; v = ((v - darkC·dark) / flat) · gain, the flat first divided by its scale if asked
            (local.set $v (f32x4.sub (local.get $v)
                                     (f32x4.mul (local.get $vdarkC) (v128.load (i32.add (local.get $dark) (local.get $off))))))
            (local.set $f (v128.load (i32.add (local.get $flat) (local.get $off))))
            (if (local.get $doScale) (then (local.set $f (f32x4.div (local.get $f) (local.get $vscale)))))
            (local.set $v (f32x4.div (local.get $v) (local.get $f)))
            (local.set $v (f32x4.mul (local.get $v) (local.get $vgain)))
            ;; var = v < 0 ? NaN : v·inv + rn2 ; BAD where var <= 0
            (local.set $vr (f32x4.add (f32x4.mul (local.get $v) (local.get $vinv)) (local.get $vrn2)))
            (local.set $vr (v128.bitselect (local.get $nan) (local.get $vr) (f32x4.lt (local.get $v) (local.get $zero))))
            (local.set $neg (f32x4.le (local.get $vr) (local.get $zero)))
            (local.set $cNeg (i32x4.sub (local.get $cNeg) (local.get $neg)))
            (local.set $mask (v128.or (local.get $mask) (v128.and (local.get $neg) (local.get $vnegBits))))
            (v128.store (i32.add (local.get $oimg) (local.get $off)) (local.get $v))
            (v128.store (i32.add (local.get $ovar) (local.get $off)) (local.get $vr))
            (v128.store (i32.add (local.get $omask) (local.get $off)) (local.get $mask))
            (local.set $off (i32.add (local.get $off) (i32.const 16)))
            (br $next)))
        (i32.store8 (i32.add (local.get $satRows) (local.get $y)) (v128.any_true (local.get $rowSat)))
        (local.set $raw (i32.add (local.get $raw) (local.get $rawStride)))
        (local.set $bias (i32.add (local.get $bias) (local.get $biasStride)))
        (local.set $dark (i32.add (local.get $dark) (local.get $darkStride)))
        (local.set $flat (i32.add (local.get $flat) (local.get $flatStride)))
        (local.set $oimg (i32.add (local.get $oimg) (local.get $outStride)))
        (local.set $ovar (i32.add (local.get $ovar) (local.get $outStride)))
        (local.set $omask (i32.add (local.get $omask) (local.get $outStride)))
        (local.set $y (i32.add (local.get $y) (i32.const 1)))
        (br $nextRow)))
    (i32.store (local.get $counts) (i32.add (i32.load (local.get $counts)) (call $sum4 (local.get $cSat))))
    (i32.store offset=4 (local.get $counts) (i32.add (i32.load offset=4 (local.get $counts)) (call $sum4 (local.get $cNan))))
    (i32.store offset=8 (local.get $counts) (i32.add (i32.load offset=8 (local.get $counts)) (call $sum4 (local.get $cNeg)))))
  (func (export "divide") (param $ptr i32) (param $n i32) (param $s f32)
    (local $end i32) (local $vs v128)
    (local.set $vs (f32x4.splat (local.get $s)))
    (local.set $end (i32.add (local.get $ptr) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $ptr) (local.get $end)))
        (v128.store (local.get $ptr) (f32x4.div (v128.load (local.get $ptr)) (local.get $vs)))
        (local.set $ptr (i32.add (local.get $ptr) (i32.const 16)))
        (br $next)))))
