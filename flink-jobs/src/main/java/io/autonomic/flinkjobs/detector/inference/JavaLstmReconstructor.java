package io.autonomic.flinkjobs.detector.inference;

import java.util.Arrays;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * The LSTM autoencoder's forward pass in plain Java, batched: the same network as DL4J's (weights copied from the
 * verified artifact, {@link LstmAutoencoderWeights}), 5-10x faster on this model (docs/benchmarks-lstm.md) because
 * DL4J spends its time launching hundreds of tiny native ops per batch while the whole network is ~40k
 * multiply-adds per window.
 *
 * <p>Layout: the batch is processed in chunks of {@code chunk} sequences, each transposed to
 * {@code [feature][step][example]} so every inner loop runs over the examples of the chunk with the weight as a
 * scalar (a saxpy C2 turns into AVX code); the activations are {@link FastMath}'s branch-free approximations so the
 * gate loop vectorizes too. The decoder's input is the same code vector at every step, so its input-weight product
 * is computed once per sequence, not N times. All buffers are allocated once per instance: no allocation per call.
 *
 * <p>Not thread-safe (the {@link Reconstructor} contract): each inference thread has its own instance.
 */
public final class JavaLstmReconstructor implements Reconstructor {
  /** Sequences per chunk: the chunk's working set (gates, states, input; ~50 KB at 16 units) stays in L1/L2. */
  public static final int DEFAULT_CHUNK = 64;

  private final LstmAutoencoderWeights w;
  private final int f;
  private final int n;
  private final int u;
  private final int g;
  private final int chunk;
  private final boolean exact;
  /** The chunk's input, {@code x[(i * N + t) * chunk + b]}. */
  private final float[] x;
  /** Gate pre-activations, {@code z[k * chunk + b]}, k in [0, 4u). */
  private final float[] z;
  /** The decoder's input product plus bias (the same at every step), like {@link #z}. */
  private final float[] zin;
  private final float[] h;
  private final float[] c;
  private final float[] y;
  private final float[] err;

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
    x = new float[f * n * chunk];
    z = new float[g * chunk];
    zin = new float[g * chunk];
    h = new float[u * chunk];
    c = new float[u * chunk];
    y = new float[chunk];
    err = new float[chunk];
  }

  /** The reconstructor of a network built by {@code model.Networks#lstmAutoencoder} (see {@link LstmAutoencoderWeights#of}). */
  public static JavaLstmReconstructor of(MultiLayerNetwork net, int features, int steps) {
    return new JavaLstmReconstructor(LstmAutoencoderWeights.of(net, features, steps));
  }

  @Override
  public void reconstruct(float[] input, int batch, double[] errors, float[] last) {
    for (int b0 = 0; b0 < batch; b0 += chunk) {
      run(input, b0, Math.min(chunk, batch - b0), errors, last);
    }
  }

  private void run(float[] input, int b0, int m, double[] errors, float[] last) {
    int cells = f * n;
    for (int b = 0; b < m; b++) {
      int from = (b0 + b) * cells;
      for (int cell = 0; cell < cells; cell++) {
        x[cell * chunk + b] = input[from + cell];
      }
    }
    Arrays.fill(h, 0f);
    Arrays.fill(c, 0f);
    Arrays.fill(err, 0f);
    // encoder: z = b + x_t W + h RW, then the cell update
    for (int t = 0; t < n; t++) {
      for (int k = 0; k < g; k++) {
        int zk = k * chunk;
        float bias = w.encB[k];
        for (int b = 0; b < m; b++) {
          z[zk + b] = bias;
        }
        for (int i = 0; i < f; i++) {
          axpy(w.encW[i * g + k], x, (i * n + t) * chunk, z, zk, m);
        }
        recurrent(w.encR, k, zk, m);
      }
      cell(m);
    }
    // decoder input: the encoder's last h repeated, so its product with W is the same at every step
    for (int k = 0; k < g; k++) {
      int zk = k * chunk;
      float bias = w.decB[k];
      for (int b = 0; b < m; b++) {
        zin[zk + b] = bias;
      }
      for (int j = 0; j < u; j++) {
        axpy(w.decW[j * g + k], h, j * chunk, zin, zk, m);
      }
    }
    Arrays.fill(h, 0f);
    Arrays.fill(c, 0f);
    for (int t = 0; t < n; t++) {
      for (int k = 0; k < g; k++) {
        int zk = k * chunk;
        System.arraycopy(zin, zk, z, zk, m);
        if (t > 0) { // h = 0 at the first step
          recurrent(w.decR, k, zk, m);
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

  /** {@code z[k] += sum_j h[j] * r[j][k]}, four rows of h per pass over z. */
  private void recurrent(float[] r, int k, int zk, int m) {
    int j = 0;
    for (; j + 3 < u; j += 4) {
      float w0 = r[j * g + k];
      float w1 = r[(j + 1) * g + k];
      float w2 = r[(j + 2) * g + k];
      float w3 = r[(j + 3) * g + k];
      int h0 = j * chunk;
      int h1 = h0 + chunk;
      int h2 = h1 + chunk;
      int h3 = h2 + chunk;
      for (int b = 0; b < m; b++) {
        z[zk + b] += w0 * h[h0 + b] + w1 * h[h1 + b] + w2 * h[h2 + b] + w3 * h[h3 + b];
      }
    }
    for (; j < u; j++) {
      axpy(r[j * g + k], h, j * chunk, z, zk, m);
    }
  }

  private static void axpy(float a, float[] src, int from, float[] dst, int to, int m) {
    for (int b = 0; b < m; b++) {
      dst[to + b] += a * src[from + b];
    }
  }

  /** The LSTM cell update of every unit from the gate pre-activations in {@link #z}. */
  private void cell(int m) {
    for (int j = 0; j < u; j++) {
      int a = j * chunk;
      int fg = (u + j) * chunk;
      int og = (2 * u + j) * chunk;
      int ig = (3 * u + j) * chunk;
      int s = j * chunk;
      if (exact) {
        for (int b = 0; b < m; b++) {
          float cc = exactSigmoid(z[fg + b]) * c[s + b] + exactSigmoid(z[ig + b]) * (float) Math.tanh(z[a + b]);
          c[s + b] = cc;
          h[s + b] = exactSigmoid(z[og + b]) * (float) Math.tanh(cc);
        }
      } else {
        for (int b = 0; b < m; b++) {
          float cc = FastMath.sigmoid(z[fg + b]) * c[s + b] + FastMath.sigmoid(z[ig + b]) * FastMath.tanh(z[a + b]);
          c[s + b] = cc;
          h[s + b] = FastMath.sigmoid(z[og + b]) * FastMath.tanh(cc);
        }
      }
    }
  }

  private static float exactSigmoid(float v) {
    return (float) (1 / (1 + Math.exp(-v)));
  }

  /** Step {@code t}'s output (identity dense layer over h), its squared error, and the last step's values. */
  private void output(int t, int m, int b0, float[] last) {
    for (int i = 0; i < f; i++) {
      float bias = w.outB[i];
      for (int b = 0; b < m; b++) {
        y[b] = bias;
      }
      for (int j = 0; j < u; j++) {
        axpy(w.outW[j * f + i], h, j * chunk, y, 0, m);
      }
      int xi = (i * n + t) * chunk;
      for (int b = 0; b < m; b++) {
        float d = y[b] - x[xi + b];
        err[b] += d * d;
      }
      if (t == n - 1) {
        for (int b = 0; b < m; b++) {
          last[(b0 + b) * f + i] = y[b];
        }
      }
    }
  }
}
