// Cooperative groups: block and tile handles map to builtins; grid sync is reported.
#include <cooperative_groups.h>
namespace cg = cooperative_groups;
__device__ float tile_sum(cg::thread_block_tile<32> t, float v) {
  for (int o = t.size() / 2; o > 0; o /= 2) v += t.shfl_down(v, o);
  return v;
}
__global__ void k(float *out, const float *in) {
  cg::thread_block cta = cg::this_thread_block();
  cg::thread_block_tile<32> tile = cg::tiled_partition<32>(cta);
  float v = in[cta.thread_rank()];
  v = tile_sum(tile, v);
  cg::sync(cta);
  if (tile.thread_rank() == 0) atomicAdd(out + tile.meta_group_rank(), v);
  cta.sync();
  if (tile.any(v > 1.0f)) out[0] = cta.size();
}
__global__ void g(int *o) {
  using namespace cooperative_groups;
  grid_group grid = this_grid();
  grid.sync();
}
