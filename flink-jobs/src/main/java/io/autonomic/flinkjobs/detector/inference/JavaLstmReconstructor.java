package io.autonomic.flinkjobs.detector.inference;

import java.util.Arrays;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * The LSTM autoencoder's forward pass in plain Java, batched: the same network as DL4J's (weights copied from the
 * verified artifact, {@link LstmAutoencoderWeights}), 10-18x faster on this model (docs/benchmarks-lstm.md) because
 * DL4J spends its time launching hundreds of tiny native ops per batch while the whole network is ~40k
 * multiply-adds per window.
 *
 * <p>Layout: the batch is processed in chunks of {@code chunk} sequences, each transposed to
 * {@code [feature][step][example]} so every inner loop runs over the examples of the chunk with the weight as a
 * scalar (a saxpy C2 turns into AVX code); the activations are {@link FastMath}'s branch-free approximations so the
 * gate loop vectorizes too. The decoder's input is the same code vector at every step, so its input-weight product
 * is computed once per sequence, not N times. The buffers are allocated once per thread (shared by the thread's
 * models): no allocation per call.
 *
 * <p>Not thread-safe (the {@link Reconstructor} contract): each inference thread has its own instance.
 */
public final class JavaLstmReconstructor implements Reconstructor {
  /**
   * Sequences per chunk: 256 measured fastest (docs/benchmarks-lstm.md); the rows one gate column touches (4 input,
   * 16 state, 1 gate row of 1 KB) stay in L1, the chunk's ~220 KB of buffers in L2.
   */
  public static final int DEFAULT_CHUNK = 256;

  private final LstmAutoencoderWeights w;
  private final int f;
  private final int n;
  private final int u;
  private final int g;
  private final int chunk;
  private final boolean exact;
  // Every buffer is an array of rows of `chunk` floats and every loop indexes its rows by the example only: C2
  // (JDK 17) does not vectorize a loop that reads one array at two different offsets, nor a loop whose body is too
  // big to unroll, so the cell update is split into one loop per activation.
  /**
   * The buffers, one set per thread shared by all its models (the detector keeps one reconstructor per series
   * model per inference thread: thousands of models must not cost ~200 KB of buffers each).
   */
  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);
  /** The chunk's input, {@code x[i * N + t][b]}. */
  private float[][] x;
  /** Gate pre-activations (then activations), {@code z[k][b]}, k in [0, 4u). */
  private float[][] z;
  /** The decoder's input product plus bias (the same at every step). */
  private float[][] zin;
  private float[][] h;
  private float[][] c;
  private float[] y;
  private float[] err;

  public JavaLstmReconstructor(LstmAutoencoderWeights weights) {
    this(weights, DEFAULT_CHUNK, false);
  }

  /**
   * @param chunk sequences processed together
   * @param exact {@link Math#tanh} and {@link Math#exp} instead of the vectorizable approximations (benchmarks)
   */
  public JavaLstmReconstructor(LstmAutoencoderWeights weights, int chunk, boolean exact) {
    if (chunk < 1) {
      throw new IllegalArgumentException("chunk must be at least 1");
    }
    this.w = weights;
    this.f = weights.features;
    this.n = weights.steps;
    this.u = weights.units;
    this.g = 4 * u;
    this.chunk = chunk;
    this.exact = exact;
  }

  /** The reconstructor of a network built by {@code model.Networks#lstmAutoencoder} (see {@link LstmAutoencoderWeights#of}). */
  public static JavaLstmReconstructor of(MultiLayerNetwork net, int features, int steps) {
    return new JavaLstmReconstructor(LstmAutoencoderWeights.of(net, features, steps));
  }

  @Override
  public void reconstruct(float[] input, int batch, double[] errors, float[] last) {
    Scratch s = SCRATCH.get();
    s.ensure(f * n, g, u, chunk);
    x = s.x;
    z = s.z;
    zin = s.zin;
    h = s.h;
    c = s.c;
    y = s.y;
    err = s.err;
    for (int b0 = 0; b0 < batch; b0 += chunk) {
      run(input, b0, Math.min(chunk, batch - b0), errors, last);
    }
  }

  private void run(float[] input, int b0, int m, double[] errors, float[] last) {
    int cells = f * n;
    for (int b = 0; b < m; b++) {
      int from = (b0 + b) * cells;
      for (int cell = 0; cell < cells; cell++) {
        x[cell][b] = input[from + cell];
      }
    }
    clear(h, m);
    clear(c, m);
    Arrays.fill(err, 0, m, 0f);
    // encoder: z = b + x_t W + h RW, then the cell update
    for (int t = 0; t < n; t++) {
      for (int k = 0; k < g; k++) {
        float[] zk = z[k];
        Arrays.fill(zk, 0, m, w.encB[k]);
        product(w.encW, k, g, x, t, n, f, zk, m);
        if (t > 0) { // h = 0 at the first step
          product(w.encR, k, g, h, 0, 1, u, zk, m);
        }
      }
      cell(m);
    }
    // decoder input: the encoder's last h repeated, so its product with W is the same at every step
    for (int k = 0; k < g; k++) {
      Arrays.fill(zin[k], 0, m, w.decB[k]);
      product(w.decW, k, g, h, 0, 1, u, zin[k], m);
    }
    clear(h, m);
    clear(c, m);
    for (int t = 0; t < n; t++) {
      for (int k = 0; k < g; k++) {
        System.arraycopy(zin[k], 0, z[k], 0, m);
        if (t > 0) {
          product(w.decR, k, g, h, 0, 1, u, z[k], m);
        }
      }
      cell(m);
      output(t, m, b0, last);
    }
    float inv = 1f / cells;
    for (int b = 0; b < m; b++) {
      errors[b0 + b] = err[b] * inv;
    }
  }

  private static void clear(float[][] rows, int m) {
    for (float[] row : rows) {
      Arrays.fill(row, 0, m, 0f);
    }
  }

  /**
   * {@code acc[b] += sum_j wt[j * stride + k] * rows[j * step + offset][b]} for j in [0, count): the product of
   * column k of a weight matrix with the chunk's vectors, four rows per pass over {@code acc}.
   */
  private static void product(float[] wt, int k, int stride, float[][] rows, int offset, int step, int count,
      float[] acc, int m) {
    int j = 0;
    for (; j + 3 < count; j += 4) {
      float w0 = wt[j * stride + k];
      float w1 = wt[(j + 1) * stride + k];
      float w2 = wt[(j + 2) * stride + k];
      float w3 = wt[(j + 3) * stride + k];
      float[] r0 = rows[j * step + offset];
      float[] r1 = rows[(j + 1) * step + offset];
      float[] r2 = rows[(j + 2) * step + offset];
      float[] r3 = rows[(j + 3) * step + offset];
      for (int b = 0; b < m; b++) {
        acc[b] += w0 * r0[b] + w1 * r1[b] + w2 * r2[b] + w3 * r3[b];
      }
    }
    for (; j < count; j++) {
      float w0 = wt[j * stride + k];
      float[] r0 = rows[j * step + offset];
      for (int b = 0; b < m; b++) {
        acc[b] += w0 * r0[b];
      }
    }
  }

  /** The LSTM cell update of every unit from the gate pre-activations in {@link #z}. */
  private void cell(int m) {
    if (exact) {
      for (int k = 0; k < g; k++) {
        float[] zk = z[k];
        for (int b = 0; b < m; b++) {
          zk[b] = k < u ? (float) Math.tanh(zk[b]) : (float) (1 / (1 + Math.exp(-zk[b])));
        }
      }
    } else {
      for (int k = 0; k < u; k++) {
        tanh(z[k], m);
      }
      for (int k = u; k < g; k++) {
        sigmoid(z[k], m);
      }
    }
    for (int j = 0; j < u; j++) {
      float[] a = z[j];
      float[] fg = z[u + j];
      float[] ig = z[3 * u + j];
      float[] cj = c[j];
      for (int b = 0; b < m; b++) {
        cj[b] = fg[b] * cj[b] + ig[b] * a[b];
      }
      float[] og = z[2 * u + j];
      float[] hj = h[j];
      if (exact) {
        for (int b = 0; b < m; b++) {
          hj[b] = og[b] * (float) Math.tanh(cj[b]);
        }
      } else {
        for (int b = 0; b < m; b++) {
          hj[b] = og[b] * FastMath.tanh(cj[b]);
        }
      }
    }
  }

  private static void tanh(float[] v, int m) {
    for (int b = 0; b < m; b++) {
      v[b] = FastMath.tanh(v[b]);
    }
  }

  private static void sigmoid(float[] v, int m) {
    for (int b = 0; b < m; b++) {
      v[b] = FastMath.sigmoid(v[b]);
    }
  }

  /** Step {@code t}'s output (identity dense layer over h), its squared error, and the last step's values. */
  private void output(int t, int m, int b0, float[] last) {
    for (int i = 0; i < f; i++) {
      Arrays.fill(y, 0, m, w.outB[i]);
      product(w.outW, i, f, h, 0, 1, u, y, m);
      float[] xi = x[i * n + t];
      for (int b = 0; b < m; b++) {
        float d = y[b] - xi[b];
        err[b] += d * d;
      }
      if (t == n - 1) {
        for (int b = 0; b < m; b++) {
          last[(b0 + b) * f + i] = y[b];
        }
      }
    }
  }

  /** One thread's buffers, grown to the largest model and chunk it has run. */
  private static final class Scratch {
    float[][] x = new float[0][0];
    float[][] z = new float[0][0];
    float[][] zin = new float[0][0];
    float[][] h = new float[0][0];
    float[][] c = new float[0][0];
    float[] y = new float[0];
    float[] err = new float[0];

    void ensure(int cells, int gates, int units, int chunk) {
      if (y.length < chunk || x.length < cells || z.length < gates || h.length < units) {
        int len = Math.max(chunk, y.length);
        x = new float[Math.max(cells, x.length)][len];
        z = new float[Math.max(gates, z.length)][len];
        zin = new float[Math.max(gates, zin.length)][len];
        h = new float[Math.max(units, h.length)][len];
        c = new float[Math.max(units, c.length)][len];
        y = new float[len];
        err = new float[len];
      }
    }
  }
}
