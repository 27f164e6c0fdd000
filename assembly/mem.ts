// Element access at byte pointers, shared by the model kernels: x[i] for f64 and i32 arrays.

@inline export function ld(p: usize, i: i32): f64 {
  return load<f64>(p + (<usize>i << 3));
}
@inline export function st(p: usize, i: i32, x: f64): void {
  store<f64>(p + (<usize>i << 3), x);
}
@inline export function ldi(p: usize, i: i32): i32 {
  return load<i32>(p + (<usize>i << 2));
}
@inline export function sti(p: usize, i: i32, x: i32): void {
  store<i32>(p + (<usize>i << 2), x);
}

// Descriptor access (./descriptor): a field, and the byte address of the array a field names
// (fields hold ELEMENT offsets).
@inline export function field(desc: usize, f: i32): i32 {
  return load<i32>(desc + (<usize>f << 2));
}
@inline export function f64At(desc: usize, f: i32): usize {
  return <usize>field(desc, f) << 3;
}
@inline export function i32At(desc: usize, f: i32): usize {
  return <usize>field(desc, f) << 2;
}
