/*
 * bitconv.c: the native yardstick of `bench engine`. One dense binary-weight convolution layer (binary x binary
 * or binary x k-bit bit-serial) with its threshold epilogue, on the engine's own tensor layout, written in C with
 * intrinsics for the instruction set gcc targets (-march=...):
 *   - AVX-512 with VPOPCNTDQ: 8 outputs x 16 pixels per tile, XOR + vpopcntq + add in 64-bit lanes;
 *   - AVX2: 4 outputs x 8 pixels per tile, popcount by nibble lookup (vpshufb), counts summed in bytes and
 *     widened with vpsadbw every 31 words at most (8 * 31 < 256);
 *   - otherwise: scalar popcnt, 4 outputs x 4 pixels.
 * The Java side (NativeYardstick) writes a case file, this program runs the layer `repeat` times, prints the
 * median microseconds per run on stdout and writes the output words, which a test compares with the engine's.
 *
 * Case file, little-endian: int32 cin, cout, kh, kw, padh, padw, h, w, in_bits, levels, out_bits; then int64
 * input words [plane][word][h+2padh][w+2padw], weights [o][tap][word], limits [o][level], inverts [o][level].
 * Output words: [plane][word][outh][outw]. Per output value R = sum_j 2^j popcount(plane_j ^ w) (the mismatch
 * count); per comparison bit = ((limit - R) >>> 63) ^ invert; binary outputs take that bit, k-bit outputs the
 * sum over the levels, bit j of it in plane j.
 *
 * Usage: bitconv CASE_FILE OUT_FILE REPEAT
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#if defined(__AVX512F__) && defined(__AVX512VPOPCNTDQ__)
#include <immintrin.h>
#define FAMILY "avx512-vpopcntdq"
#elif defined(__AVX2__)
#include <immintrin.h>
#define FAMILY "avx2-nibble-lookup"
#else
#define FAMILY "scalar-popcnt"
#endif

typedef struct {
    int cin, cout, kh, kw, padh, padw, h, w, in_bits, levels, out_bits;
    int words, taps, row_stride, word_stride, plane_stride, outh, outw;
    uint64_t *in, *wt;
    int64_t *limits, *inverts, *acc;
    uint64_t *out, *values;
} layer;

static void die(const char *what) {
    fprintf(stderr, "bitconv: %s\n", what);
    exit(2);
}

static void *read_exact(FILE *f, size_t bytes) {
    void *p = aligned_alloc(64, (bytes + 63) / 64 * 64 + 64);
    if (!p) die("out of memory");
    if (bytes && fread(p, 1, bytes, f) != bytes) die("case file is truncated");
    return p;
}

static inline const uint64_t *input_at(const layer *L, int plane, int word, int iy, int ix) {
    return L->in + (size_t) plane * L->plane_stride + (size_t) word * L->word_stride + (size_t) iy * L->row_stride + ix;
}

static inline const uint64_t *weights_at(const layer *L, int o, int tap) {
    return L->wt + ((size_t) o * L->taps + tap) * L->words;
}

/* Plane `plane` of the mismatch count for output o, pixels [x0, x1) of row y: the ragged ends of tiles. */
static void scalar_range(const layer *L, int y, int plane, int o, int x0, int x1) {
    for (int x = x0; x < x1; x++) {
        int64_t r = 0;
        for (int tap = 0; tap < L->taps; tap++) {
            int ky = tap / L->kw, kx = tap % L->kw;
            const uint64_t *w = weights_at(L, o, tap);
            for (int c = 0; c < L->words; c++) {
                r += __builtin_popcountll(*input_at(L, plane, c, y + ky, x + kx) ^ w[c]);
            }
        }
        int64_t *a = L->acc + (size_t) o * L->outw + x;
        *a = plane == 0 ? r : *a + (r << plane);
    }
}

#if defined(__AVX512F__) && defined(__AVX512VPOPCNTDQ__)
#define TILE_O 8
#define TILE_X 16
static void tile(const layer *L, int y, int plane, int o, int x0) {
    __m512i acc[TILE_O][2];
    for (int i = 0; i < TILE_O; i++) acc[i][0] = acc[i][1] = _mm512_setzero_si512();
    for (int tap = 0; tap < L->taps; tap++) {
        int ky = tap / L->kw, kx = tap % L->kw;
        const uint64_t *src = input_at(L, plane, 0, y + ky, x0 + kx);
        for (int c = 0; c < L->words; c++, src += L->word_stride) {
            __m512i in0 = _mm512_loadu_si512(src);
            __m512i in1 = _mm512_loadu_si512(src + 8);
            for (int i = 0; i < TILE_O; i++) {
                __m512i w = _mm512_set1_epi64((long long) weights_at(L, o + i, tap)[c]);
                acc[i][0] = _mm512_add_epi64(acc[i][0], _mm512_popcnt_epi64(_mm512_xor_si512(in0, w)));
                acc[i][1] = _mm512_add_epi64(acc[i][1], _mm512_popcnt_epi64(_mm512_xor_si512(in1, w)));
            }
        }
    }
    for (int i = 0; i < TILE_O; i++) {
        int64_t *a = L->acc + (size_t) (o + i) * L->outw + x0;
        for (int v = 0; v < 2; v++) {
            __m512i r = acc[i][v];
            if (plane > 0) r = _mm512_add_epi64(_mm512_slli_epi64(r, plane), _mm512_loadu_si512(a + 8 * v));
            _mm512_storeu_si512(a + 8 * v, r);
        }
    }
}
#elif defined(__AVX2__)
#define TILE_O 4
#define TILE_X 8
static inline __m256i nibble_count(__m256i v, __m256i lut, __m256i low) {
    __m256i lo = _mm256_and_si256(v, low);
    __m256i hi = _mm256_and_si256(_mm256_srli_epi16(v, 4), low);
    return _mm256_add_epi8(_mm256_shuffle_epi8(lut, lo), _mm256_shuffle_epi8(lut, hi));
}

static inline void widen(const layer *L, __m256i bytes[TILE_O][2], int plane, int o, int x0, int first) {
    for (int i = 0; i < TILE_O; i++) {
        int64_t *a = L->acc + (size_t) (o + i) * L->outw + x0;
        for (int v = 0; v < 2; v++) {
            __m256i r = _mm256_slli_epi64(_mm256_sad_epu8(bytes[i][v], _mm256_setzero_si256()), plane);
            if (!first || plane > 0) r = _mm256_add_epi64(r, _mm256_loadu_si256((const __m256i *) (a + 4 * v)));
            _mm256_storeu_si256((__m256i *) (a + 4 * v), r);
            bytes[i][v] = _mm256_setzero_si256();
        }
    }
}

static void tile(const layer *L, int y, int plane, int o, int x0) {
    const __m256i lut = _mm256_setr_epi8(0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4,
                                         0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4);
    const __m256i low = _mm256_set1_epi8(0x0f);
    __m256i bytes[TILE_O][2];
    for (int i = 0; i < TILE_O; i++) bytes[i][0] = bytes[i][1] = _mm256_setzero_si256();
    int pending = 0, first = 1;
    for (int tap = 0; tap < L->taps; tap++) {
        int ky = tap / L->kw, kx = tap % L->kw;
        const uint64_t *src = input_at(L, plane, 0, y + ky, x0 + kx);
        for (int c = 0; c < L->words; c++, src += L->word_stride) {
            __m256i in0 = _mm256_loadu_si256((const __m256i *) src);
            __m256i in1 = _mm256_loadu_si256((const __m256i *) (src + 4));
            for (int i = 0; i < TILE_O; i++) {
                __m256i w = _mm256_set1_epi64x((long long) weights_at(L, o + i, tap)[c]);
                bytes[i][0] = _mm256_add_epi8(bytes[i][0], nibble_count(_mm256_xor_si256(in0, w), lut, low));
                bytes[i][1] = _mm256_add_epi8(bytes[i][1], nibble_count(_mm256_xor_si256(in1, w), lut, low));
            }
            if (++pending == 31) {
                widen(L, bytes, plane, o, x0, first);
                pending = 0;
                first = 0;
            }
        }
    }
    if (pending > 0 || first) widen(L, bytes, plane, o, x0, first);
}
#else
#define TILE_O 4
#define TILE_X 4
static void tile(const layer *L, int y, int plane, int o, int x0) {
    int64_t acc[TILE_O][TILE_X] = {{0}};
    for (int tap = 0; tap < L->taps; tap++) {
        int ky = tap / L->kw, kx = tap % L->kw;
        const uint64_t *src = input_at(L, plane, 0, y + ky, x0 + kx);
        for (int c = 0; c < L->words; c++, src += L->word_stride) {
            for (int i = 0; i < TILE_O; i++) {
                uint64_t w = weights_at(L, o + i, tap)[c];
                for (int x = 0; x < TILE_X; x++) acc[i][x] += __builtin_popcountll(src[x] ^ w);
            }
        }
    }
    for (int i = 0; i < TILE_O; i++) {
        int64_t *a = L->acc + (size_t) (o + i) * L->outw + x0;
        for (int x = 0; x < TILE_X; x++) a[x] = plane == 0 ? acc[i][x] : a[x] + (acc[i][x] << plane);
    }
}
#endif

/* Thresholds one row of accumulators into output words; plain loops over pixels that gcc vectorises. */
static void epilogue(const layer *L, int y) {
    int outw = L->outw;
    for (int word = 0; word < (L->cout + 63) / 64; word++) {
        int first = word * 64, end = L->cout < first + 64 ? L->cout : first + 64;
        for (int plane = 0; plane < L->out_bits; plane++) {
            memset(L->out + ((size_t) (plane * ((L->cout + 63) / 64) + word) * L->outh + y) * outw, 0,
                   sizeof(uint64_t) * outw);
        }
        for (int o = first; o < end; o++) {
            const int64_t *r = L->acc + (size_t) o * outw;
            uint64_t *value = L->values;
            for (int x = 0; x < outw; x++) value[x] = 0;
            for (int i = o * L->levels; i < (o + 1) * L->levels; i++) {
                int64_t limit = L->limits[i];
                uint64_t invert = (uint64_t) L->inverts[i];
                for (int x = 0; x < outw; x++) value[x] += ((uint64_t) (limit - r[x]) >> 63) ^ invert;
            }
            for (int plane = 0; plane < L->out_bits; plane++) {
                uint64_t *dst = L->out + ((size_t) (plane * ((L->cout + 63) / 64) + word) * L->outh + y) * outw;
                for (int x = 0; x < outw; x++) dst[x] |= ((value[x] >> plane) & 1) << (o - first);
            }
        }
    }
}

static void run_layer(const layer *L) {
    int full_o = L->cout - L->cout % TILE_O;
    int full_x = L->outw - L->outw % TILE_X;
    for (int y = 0; y < L->outh; y++) {
        for (int plane = 0; plane < L->in_bits; plane++) {
            for (int o = 0; o < full_o; o += TILE_O) {
                for (int x0 = 0; x0 < full_x; x0 += TILE_X) tile(L, y, plane, o, x0);
                for (int i = 0; i < TILE_O; i++) scalar_range(L, y, plane, o + i, full_x, L->outw);
            }
            for (int o = full_o; o < L->cout; o++) scalar_range(L, y, plane, o, 0, L->outw);
        }
        epilogue(L, y);
    }
}

static int compare_double(const void *a, const void *b) {
    double x = *(const double *) a, y = *(const double *) b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    if (argc != 4) die("usage: bitconv CASE_FILE OUT_FILE REPEAT");
    FILE *f = fopen(argv[1], "rb");
    if (!f) die("cannot open the case file");
    int32_t head[11];
    if (fread(head, sizeof head, 1, f) != 1) die("case file has no header");
    layer L = {.cin = head[0], .cout = head[1], .kh = head[2], .kw = head[3], .padh = head[4], .padw = head[5],
               .h = head[6], .w = head[7], .in_bits = head[8], .levels = head[9], .out_bits = head[10]};
    if (L.cin % 64 != 0) die("input channels must be a multiple of 64");
    L.words = L.cin / 64;
    L.taps = L.kh * L.kw;
    L.row_stride = L.w + 2 * L.padw;
    L.word_stride = L.row_stride * (L.h + 2 * L.padh);
    L.plane_stride = L.word_stride * L.words;
    L.outh = L.h + 2 * L.padh - L.kh + 1;
    L.outw = L.w + 2 * L.padw - L.kw + 1;
    L.in = read_exact(f, sizeof(uint64_t) * (size_t) L.in_bits * L.plane_stride);
    L.wt = read_exact(f, sizeof(uint64_t) * (size_t) L.cout * L.taps * L.words);
    L.limits = read_exact(f, sizeof(int64_t) * (size_t) L.cout * L.levels);
    L.inverts = read_exact(f, sizeof(int64_t) * (size_t) L.cout * L.levels);
    fclose(f);
    L.acc = aligned_alloc(64, sizeof(int64_t) * ((size_t) L.cout * L.outw + 64));
    size_t out_words = (size_t) L.out_bits * ((L.cout + 63) / 64) * L.outh * L.outw;
    L.out = aligned_alloc(64, sizeof(uint64_t) * (out_words + 64));
    L.values = aligned_alloc(64, sizeof(uint64_t) * ((size_t) L.outw + 64));

    int repeat = atoi(argv[3]);
    if (repeat < 1) die("repeat must be at least 1");
    double *micros = malloc(sizeof(double) * repeat);
    run_layer(&L); /* warm caches and page in */
    for (int i = 0; i < repeat; i++) {
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        run_layer(&L);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        micros[i] = (t1.tv_sec - t0.tv_sec) * 1e6 + (t1.tv_nsec - t0.tv_nsec) / 1e3;
    }
    qsort(micros, repeat, sizeof(double), compare_double);
    FILE *o = fopen(argv[2], "wb");
    if (!o || fwrite(L.out, sizeof(uint64_t), out_words, o) != out_words) die("cannot write the output file");
    fclose(o);
    printf("%s %.3f\n", FAMILY, micros[repeat / 2]);
    return 0;
}
