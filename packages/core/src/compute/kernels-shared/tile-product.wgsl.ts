/**
 * The inner loop shared by the tiled products (matmul, gram): with DEPTH slices of a TILE-wide a
 * and b tile in workgroup memory, each invocation accumulates its 4×4 outputs (rows lid.y + 16r,
 * columns lid.x + 16c) into `acc`. Expects TILE, DEPTH, a_tile, b_tile, lid and acc in scope.
 */
export const TILE_PRODUCT_WGSL = `    for (var d = 0u; d < DEPTH; d++) {
      var av: array<f32, 4>;
      var bv: array<f32, 4>;
      for (var r = 0u; r < 4u; r++) { av[r] = a_tile[d * TILE + lid.y + r * 16u]; }
      for (var c = 0u; c < 4u; c++) { bv[c] = b_tile[d * TILE + lid.x + c * 16u]; }
      for (var r = 0u; r < 4u; r++) {
        for (var c = 0u; c < 4u; c++) { acc[r * 4u + c] = fma(av[r], bv[c], acc[r * 4u + c]); }
      }
    }`;
