package io.autonomic.flinkjobs.model;

import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * A trained network with everything the store and the announcement need.
 *
 * @param samples training inputs (sequences or vectors) the network was fitted on, held-out tail excluded
 * @param finalLoss MSE on the training inputs with the kept parameters
 * @param validationLoss MSE on the held-out tail (NaN when the set was too small to hold one out)
 */
public record TrainedModel(ModelKind kind, String modelKey, MultiLayerNetwork net, List<String> features,
    Map<String, Double> calibration, long trainedFrom, long trainedTo, int windows, int samples, int epochs,
    double finalLoss, double validationLoss, long trainingMillis) {

  /** The model as the scorer sees it. */
  public ScoringModel scoring() {
    return ScoringModel.of(kind, net, features, calibration);
  }
}
