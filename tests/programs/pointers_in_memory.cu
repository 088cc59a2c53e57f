// Pointers that live in device memory, as CUDA allows everywhere: a linked list whose next
// pointers the host wrote, a table of pointers that one kernel stores and the next follows (and
// whose values the host reads back as the addresses it knows), a device function returning a
// pointer it loaded, a __device__ pointer variable set with cudaMemcpyToSymbol, pointers made
// from integer addresses, and a __shared__ array of pointers.
#include <cstdint>
#include <cstdio>
#include <cuda_runtime.h>

struct Node {
  int value;
  Node *next;
};

struct Span {
  unsigned long long base;  // a device address as an integer
  int count;
};

__device__ float *g_out;    // set by the host

__device__ Node *advance(Node *n, int steps) {
  for (int s = 0; s < steps && n; s++) n = n->next;
  return n;
}

// Each thread walks the list from its own start and sums what it visits.
__global__ void walk(Node *head, int *sums) {
  int t = threadIdx.x;
  int sum = 0;
  for (Node *n = advance(head, t); n; n = n->next) sum += n->value;
  sums[t] = sum;
}

// Thread i stores a pointer to element perm[i] into slots[i].
__global__ void store_slots(float *data, const int *perm, float **slots) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  slots[i] = data + perm[i];
}

// Follows the stored pointers; writes through the module variable.
__global__ void follow_slots(float *const *slots, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) g_out[i] = *slots[i] * 2.0f;
}

// Pointers made from integers: the span's base plus a byte offset.
__global__ void from_integers(Span s, float *out) {
  int i = threadIdx.x;
  if (i >= s.count) return;
  const float *p = (const float *)(s.base + (unsigned long long)i * sizeof(float));
  out[i] = *p + 0.5f;
}

// A shared array of pointers, filled by two threads, followed by all.
__global__ void pick_shared(const float *a, const float *b, float *out) {
  __shared__ const float *from[2];
  if (threadIdx.x < 2) from[threadIdx.x] = threadIdx.x ? b : a;
  __syncthreads();
  out[threadIdx.x] = from[threadIdx.x % 2][threadIdx.x];
}

int main() {
  const int N = 16;
  // 1. a list of N nodes, linked in reverse order of their slots
  Node h_nodes[N];
  Node *d_nodes;
  cudaMalloc(&d_nodes, sizeof h_nodes);
  for (int k = 0; k < N; k++) {
    h_nodes[k].value = k + 1;
    h_nodes[k].next = k > 0 ? d_nodes + (k - 1) : nullptr;
  }
  cudaMemcpy(d_nodes, h_nodes, sizeof h_nodes, cudaMemcpyHostToDevice);
  int *d_sums;
  cudaMalloc(&d_sums, N * sizeof(int));
  walk<<<1, N>>>(d_nodes + (N - 1), d_sums);
  cudaError_t launched = cudaGetLastError();
  if (launched != cudaSuccess) {
    fprintf(stderr, "walk: %s\n", cudaGetErrorString(launched));
    return 1;
  }
  int sums[N];
  cudaMemcpy(sums, d_sums, sizeof sums, cudaMemcpyDeviceToHost);
  int bad = 0;
  for (int t = 0; t < N; t++) bad += sums[t] != (N - t) * (N - t + 1) / 2;
  printf("list sums:");
  for (int t = 0; t < N; t += 3) printf(" %d", sums[t]);
  printf("\n");

  // 2. pointers stored by one kernel, followed by the next
  const int M = 64;
  float h_data[M];
  int h_perm[M];
  for (int i = 0; i < M; i++) h_data[i] = (float)(i * 3), h_perm[i] = (i * 17) % M;
  float *d_data, **d_slots, *d_out;
  int *d_perm;
  cudaMalloc(&d_data, sizeof h_data);
  cudaMalloc(&d_perm, sizeof h_perm);
  cudaMalloc(&d_slots, M * sizeof(float *));
  cudaMalloc(&d_out, M * sizeof(float));
  cudaMemcpy(d_data, h_data, sizeof h_data, cudaMemcpyHostToDevice);
  cudaMemcpy(d_perm, h_perm, sizeof h_perm, cudaMemcpyHostToDevice);
  cudaMemcpyToSymbol(g_out, &d_out, sizeof d_out);
  store_slots<<<2, M / 2>>>(d_data, d_perm, d_slots);
  follow_slots<<<2, M / 2>>>(d_slots, M);
  float *h_slots[M];
  float out[M];
  cudaMemcpy(h_slots, d_slots, sizeof h_slots, cudaMemcpyDeviceToHost);
  cudaMemcpy(out, d_out, sizeof out, cudaMemcpyDeviceToHost);
  int addr_ok = 0, val_ok = 0;
  for (int i = 0; i < M; i++) {
    addr_ok += h_slots[i] == d_data + h_perm[i];
    val_ok += out[i] == h_data[h_perm[i]] * 2.0f;
  }
  bad += (addr_ok != M) + (val_ok != M);
  printf("stored pointers: %d/%d addresses, %d/%d values\n", addr_ok, M, val_ok, M);
  printf("out[1] = %g, out[63] = %g\n", out[1], out[63]);

  // 3. pointers from integers
  Span s = {(unsigned long long)(uintptr_t)(d_data + 8), 8};
  from_integers<<<1, 32>>>(s, d_out);
  cudaMemcpy(out, d_out, 8 * sizeof(float), cudaMemcpyDeviceToHost);
  printf("from integers:");
  for (int i = 0; i < 8; i++) {
    printf(" %g", out[i]);
    bad += out[i] != h_data[8 + i] + 0.5f;
  }
  printf("\n");

  // 4. pointers kept in shared memory: odd threads read d_data + 8, even ones d_data
  pick_shared<<<1, 8>>>(d_data, d_data + 8, d_out);
  cudaMemcpy(out, d_out, 8 * sizeof(float), cudaMemcpyDeviceToHost);
  printf("shared pointers:");
  for (int i = 0; i < 8; i++) {
    printf(" %g", out[i]);
    bad += out[i] != h_data[(i % 2 ? 8 : 0) + i];
  }
  printf("\n");

  cudaError_t e = cudaDeviceSynchronize();
  if (e != cudaSuccess) printf("error: %s\n", cudaGetErrorString(e));
  printf("%s\n", bad || e != cudaSuccess ? "FAIL" : "PASS");
  cudaFree(d_nodes);
  cudaFree(d_sums);
  cudaFree(d_data);
  cudaFree(d_perm);
  cudaFree(d_slots);
  cudaFree(d_out);
  return bad || e != cudaSuccess;
}
