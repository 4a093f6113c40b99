/**
 * Private: the steps that turn one isolated eigenvalue μ of a symmetric 3×3
 * matrix into an orthonormal frame, shared by the eigenvalue solver's
 * deflation (`_symmetric_eigenvalues.ts`, whose operations the SIMD kernel
 * repeats exactly, so these must keep their order) and the eigenvector
 * kernel (`_symmetric_eigenvectors.ts`). Scratch arrays are passed in: no
 * allocation per voxel.
 *
 * Reference: J. Kopp, "Efficient numerical diagonalization of hermitian 3×3
 * matrices", Int. J. Mod. Phys. C 19 (2008), arXiv:physics/0610206.
 *
 * @module
 */

/**
 * The largest cross product of two rows of M − μI (M with diagonal m00,
 * m11, m22 and off-diagonal m01, m02, m12), an eigenvector of μ up to its
 * length (a column of the adjugate): written to `out[0..2]`; returns its
 * squared norm.
 */
export function isolatedEigenvector(
  m00: number,
  m11: number,
  m22: number,
  m01: number,
  m02: number,
  m12: number,
  mu: number,
  out: Float64Array,
): number {
  const c00 = m00 - mu, c11 = m11 - mu, c22 = m22 - mu;
  const x1 = m01 * m12 - m02 * c11,
    y1 = m02 * m01 - c00 * m12,
    z1 = c00 * c11 - m01 * m01;
  const x2 = m01 * c22 - m02 * m12,
    y2 = m02 * m02 - c00 * c22,
    z2 = c00 * m12 - m01 * m02;
  const x3 = c11 * c22 - m12 * m12,
    y3 = m12 * m02 - m01 * c22,
    z3 = m01 * m12 - c11 * m02;
  const n1 = x1 * x1 + y1 * y1 + z1 * z1;
  const n2 = x2 * x2 + y2 * y2 + z2 * z2;
  const n3 = x3 * x3 + y3 * y3 + z3 * z3;
  let vx = x1, vy = y1, vz = z1, norm = n1;
  if (n2 > norm) vx = x2, vy = y2, vz = z2, norm = n2;
  if (n3 > norm) vx = x3, vy = y3, vz = z3, norm = n3;
  out[0] = vx, out[1] = vy, out[2] = vz;
  return norm;
}

/**
 * For a unit vector v, the unit vectors u (v crossed with the coordinate
 * axis it is least aligned with) and w = v × u, completing an orthonormal
 * frame; then the 2×2 matrix [u w]ᵀ M [u w], M's restriction to the plane
 * orthogonal to v. Writes `out` = [ux, uy, uz, wx, wy, wz, p00, p01, p11].
 */
export function complementPair(
  vx: number,
  vy: number,
  vz: number,
  m00: number,
  m11: number,
  m22: number,
  m01: number,
  m02: number,
  m12: number,
  out: Float64Array,
): void {
  const ax = Math.abs(vx), ay = Math.abs(vy), az = Math.abs(vz);
  let ux: number, uy: number, uz: number;
  if (ax <= ay && ax <= az) ux = 0, uy = vz, uz = -vy;
  else if (ay <= az) ux = -vz, uy = 0, uz = vx;
  else ux = vy, uy = -vx, uz = 0;
  const un = 1 / Math.sqrt(ux * ux + uy * uy + uz * uz);
  ux *= un, uy *= un, uz *= un;
  const wx = vy * uz - vz * uy, wy = vz * ux - vx * uz, wz = vx * uy - vy * ux;
  const mux = m00 * ux + m01 * uy + m02 * uz;
  const muy = m01 * ux + m11 * uy + m12 * uz;
  const muz = m02 * ux + m12 * uy + m22 * uz;
  const mwx = m00 * wx + m01 * wy + m02 * wz;
  const mwy = m01 * wx + m11 * wy + m12 * wz;
  const mwz = m02 * wx + m12 * wy + m22 * wz;
  out[0] = ux, out[1] = uy, out[2] = uz;
  out[3] = wx, out[4] = wy, out[5] = wz;
  out[6] = ux * mux + uy * muy + uz * muz;
  out[7] = wx * mux + wy * muy + wz * muz;
  out[8] = wx * mwx + wy * mwy + wz * mwz;
}
