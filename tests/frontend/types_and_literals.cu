// Self-referencing structs, nested types, literal types, folding of conversions.
typedef struct Node Node;
struct Node { int v; Node *next; };
struct Outer { struct Inner { int a; }; Inner in; enum Kind { X = 2, Y }; static const int W = 4; };
__global__ void k(Node *n, int *o, long *l, bool *b) {
  Outer::Inner i = {3};
  Outer q; q.in = i;
  o[0] = n->next->v + q.in.a + Outer::Y + Outer::W + sizeof(long) + sizeof(bool);
  o[1] = -2147483648 < 0;
  o[2] = 4294967295 > 0u;
  l[0] = 1L << 40;
  b[0] |= o[3] > 2;
  b[1] = true + true;
  unsigned u = 7; u -= 10; o[4] = u > 5;
  float x = 0.1; double d = x;
  o[5] = (int)3.7f + (int)-3.7 + (x == 0.1f) + (d == 0.1);
}
