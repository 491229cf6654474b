package dev.hpsweep.train;

import dev.hpsweep.space.ParamDef;
import dev.hpsweep.space.TrialSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The hyperparameters of a gradient-boosted tree trial, typed, read once from its {@link TrialSpec}.
 * Names are XGBoost's own, except {@code rounds_per_epoch}, which is hpsweep's: how many boosting
 * rounds make one epoch, the unit trials report and get pruned by.
 *
 * @param maxDepth        deepest a tree may grow
 * @param eta             learning rate: the factor each new tree's leaf values are shrunk by
 * @param minChildWeight  least hessian sum a child must keep for a split to be made
 * @param subsample       fraction of training rows each tree is grown from
 * @param colsampleBytree fraction of feature columns each tree may split on
 * @param lambda          L2 penalty on leaf values
 * @param alpha           L1 penalty on leaf values
 * @param gamma           least loss reduction a split must bring
 * @param treeMethod      split-finding algorithm: hist, approx or exact
 * @param roundsPerEpoch  boosting rounds per epoch
 */
public record XgboostParams(int maxDepth, double eta, double minChildWeight, double subsample,
                            double colsampleBytree, double lambda, double alpha, double gamma, String treeMethod,
                            int roundsPerEpoch) {

    /** Every parameter above, declared with its rule, default and meaning, in this record's order. */
    public static final List<ParamDef> PARAMS = List.of(
            ParamDef.integerAtLeast("max_depth", 1, 6, "Deepest a tree may grow (the root is depth 0)."),
            ParamDef.numberAbove("eta", 0.0, 0.3, "Learning rate: each new tree's leaf values are multiplied by it."),
            ParamDef.numberAtLeast("min_child_weight", 0.0, 1.0,
                    "Least hessian sum each child of a split must keep, or the split is not made."),
            ParamDef.numberAboveAtMost("subsample", 0.0, 1.0, 1.0,
                    "Fraction of the training rows, drawn anew for each round, that its trees are grown from."),
            ParamDef.numberAboveAtMost("colsample_bytree", 0.0, 1.0, 1.0,
                    "Fraction of the feature columns, drawn anew for each tree, that it may split on."),
            ParamDef.numberAtLeast("lambda", 0.0, 1.0, "L2 regularisation of the leaf values."),
            ParamDef.numberAtLeast("alpha", 0.0, 0.0, "L1 regularisation of the leaf values."),
            ParamDef.numberAtLeast("gamma", 0.0, 0.0, "Least loss reduction a split must bring to be made."),
            ParamDef.oneOf("tree_method", List.of("hist", "approx", "exact"), "hist",
                    "Split finding: hist (binned features), approx (quantile sketch per round) or exact (every value)."),
            ParamDef.integerAtLeast("rounds_per_epoch", 1, 10,
                    "Boosting rounds (one tree per class each) that make one epoch, the unit trials report and "
                            + "are pruned by."));

    public XgboostParams {
        Map<String, Object> values = asMap(maxDepth, eta, minChildWeight, subsample, colsampleBytree, lambda, alpha,
                gamma, treeMethod, roundsPerEpoch);
        for (ParamDef def : PARAMS) {
            Optional<String> broken = def.check(values.get(def.name()));
            if (broken.isPresent()) {
                throw new IllegalArgumentException(broken.get());
            }
        }
    }

    /** The trial's values of {@link #PARAMS}; numbers written as integers are widened. */
    public static XgboostParams from(TrialSpec t) {
        return new XgboostParams(t.intParam("max_depth"), t.doubleParam("eta"), t.doubleParam("min_child_weight"),
                t.doubleParam("subsample"), t.doubleParam("colsample_bytree"), t.doubleParam("lambda"),
                t.doubleParam("alpha"), t.doubleParam("gamma"), t.stringParam("tree_method"),
                t.intParam("rounds_per_epoch"));
    }

    /** Every parameter at its default. */
    public static XgboostParams defaults() {
        Map<String, Object> params = new LinkedHashMap<>();
        PARAMS.forEach(def -> params.put(def.name(), def.defaultValue()));
        params.put("epochs", 1);
        return from(new TrialSpec("defaults", 0, params, Map.of()));
    }

    /** The booster parameters these values set (all but {@code rounds_per_epoch}), under XGBoost's names. */
    Map<String, Object> boosterParams() {
        Map<String, Object> params = asMap(maxDepth, eta, minChildWeight, subsample, colsampleBytree, lambda, alpha,
                gamma, treeMethod, roundsPerEpoch);
        params.remove("rounds_per_epoch");
        return params;
    }

    private static Map<String, Object> asMap(int maxDepth, double eta, double minChildWeight, double subsample,
                                             double colsampleBytree, double lambda, double alpha, double gamma,
                                             String treeMethod, int roundsPerEpoch) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("max_depth", maxDepth);
        m.put("eta", eta);
        m.put("min_child_weight", minChildWeight);
        m.put("subsample", subsample);
        m.put("colsample_bytree", colsampleBytree);
        m.put("lambda", lambda);
        m.put("alpha", alpha);
        m.put("gamma", gamma);
        m.put("tree_method", treeMethod);
        m.put("rounds_per_epoch", roundsPerEpoch);
        return m;
    }
}
