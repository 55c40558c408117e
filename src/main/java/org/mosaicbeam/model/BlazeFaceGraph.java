package org.mosaicbeam.model;

import static org.mosaicbeam.model.OnnxProto.GRAPH_INITIALIZER;
import static org.mosaicbeam.model.OnnxProto.GRAPH_INPUT;
import static org.mosaicbeam.model.OnnxProto.GRAPH_NODE;
import static org.mosaicbeam.model.OnnxProto.GRAPH_OUTPUT;
import static org.mosaicbeam.model.OnnxProto.GRAPH_VALUE_INFO;
import static org.mosaicbeam.model.OnnxProto.MODEL_GRAPH;
import static org.mosaicbeam.model.OnnxProto.field;
import static org.mosaicbeam.model.OnnxProto.message;
import static org.mosaicbeam.model.OnnxProto.messages;
import static org.mosaicbeam.model.OnnxProto.string;
import static org.mosaicbeam.model.OnnxProto.strings;
import static org.mosaicbeam.model.OnnxProto.withDims;
import static org.mosaicbeam.model.OnnxProto.withGraph;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.UnknownFieldSet;
import com.google.protobuf.UnknownFieldSet.Field;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Rewrites MediaPipe's back-camera BlazeFace ONNX (fixed 256×256) into a model that takes any H×W
 * that is a multiple of 32. The network is fully convolutional except for three things the export
 * baked the size into: two channel pads written as {@code ConstantOfShape([1,C,32,32])} + {@code
 * Concat} (now a {@code Pad} on the channel axis), the four output {@code Reshape}s ({@code
 * [1,512,1]} etc., now {@code [1,-1,1]} and {@code [1,-1,16]}), and the declared input and output
 * shapes (now symbolic). At 256×256 the outputs are the original's (BlazeFaceGraphTest). Done at
 * load time on the fetched file, so no second model file exists. The protobuf editing itself is
 * {@link OnnxProto}'s.
 */
final class BlazeFaceGraph {
  // onnx.proto field numbers of what only this edit touches
  private static final int NODE_INPUT = 1;
  private static final int NODE_OUTPUT = 2;
  private static final int NODE_NAME = 3;
  private static final int NODE_OP_TYPE = 4;
  private static final int NODE_ATTRIBUTE = 5;
  private static final int ATTRIBUTE_NAME = 1;
  private static final int ATTRIBUTE_I = 3;
  private static final int TENSOR_DIMS = 1;
  private static final int TENSOR_DATA_TYPE = 2;
  private static final int TENSOR_INT64_DATA = 7;
  private static final int TENSOR_NAME = 8;
  private static final int TENSOR_RAW_DATA = 9;
  private static final int INT64 = 7;

  private BlazeFaceGraph() {}

  /** The any-size model, from the bytes of {@code face_detection_back_256x256_barracuda.onnx}. */
  static byte[] anySize(byte[] onnx) throws IOException {
    return edit(onnx, 0, 0);
  }

  /** The same model with its input fixed at {@code height}×{@code width}. */
  static byte[] forInput(byte[] onnx, int height, int width) throws IOException {
    return edit(onnx, height, width);
  }

  private static byte[] edit(byte[] onnx, int height, int width) throws IOException {
    UnknownFieldSet model = UnknownFieldSet.parseFrom(onnx);
    UnknownFieldSet graph = message(model.getField(MODEL_GRAPH).getLengthDelimitedList().get(0));

    List<UnknownFieldSet> nodes = messages(graph, GRAPH_NODE);
    List<UnknownFieldSet> initializers = messages(graph, GRAPH_INITIALIZER);
    Map<String, Integer> initializerIndex = new HashMap<>();
    for (int i = 0; i < initializers.size(); i++) {
      initializerIndex.put(string(initializers.get(i), TENSOR_NAME), i);
    }

    // ConstantOfShape output name -> channels it adds
    Map<String, Long> zeroChannels = new HashMap<>();
    List<String> unusedInitializers = new ArrayList<>();
    List<UnknownFieldSet> newNodes = new ArrayList<>();
    int pads = 0;
    int reshapes = 0;
    for (UnknownFieldSet node : nodes) {
      String op = string(node, NODE_OP_TYPE);
      List<String> in = strings(node, NODE_INPUT);
      if (op.equals("ConstantOfShape")) {
        long[] shape = int64s(initializers.get(index(initializerIndex, in.get(0))));
        require(
            shape.length == 4 && node.getField(NODE_ATTRIBUTE).getLengthDelimitedList().isEmpty(),
            "ConstantOfShape of zeros, NCHW");
        zeroChannels.put(strings(node, NODE_OUTPUT).get(0), shape[1]);
        unusedInitializers.add(in.get(0));
        continue; // its Concat becomes a Pad below
      }
      if (op.equals("Concat") && in.size() == 2 && zeroChannels.containsKey(in.get(1))) {
        require(attributeInt(node, "axis") == 1, "channel Concat on axis 1");
        String padsName = "mosaicbeam/channel_pads_" + pads++;
        initializers.add(int64Tensor(padsName, 0, 0, 0, 0, 0, zeroChannels.get(in.get(1)), 0, 0));
        newNodes.add(
            UnknownFieldSet.newBuilder()
                .addField(NODE_INPUT, strings(in.get(0), padsName))
                .addField(NODE_OUTPUT, node.getField(NODE_OUTPUT))
                .addField(NODE_NAME, node.getField(NODE_NAME))
                .addField(NODE_OP_TYPE, strings("Pad")) // mode "constant", value 0: the defaults
                .build());
        continue;
      }
      if (op.equals("Reshape")) {
        int i = index(initializerIndex, in.get(1));
        long[] target = int64s(initializers.get(i));
        require(target.length == 3 && target[0] == 1, "Reshape to [1, anchors, values]");
        initializers.set(i, int64Tensor(in.get(1), 1, -1, target[2]));
        reshapes++;
      }
      newNodes.add(node);
    }
    require(pads == 2 && reshapes == 4, "two channel pads and four output reshapes");
    List<UnknownFieldSet> keptInitializers = new ArrayList<>();
    for (UnknownFieldSet t : initializers) {
      if (!unusedInitializers.contains(string(t, TENSOR_NAME))) {
        keptInitializers.add(t);
      }
    }

    UnknownFieldSet.Builder g =
        graph.toBuilder()
            .addField(GRAPH_NODE, field(newNodes))
            .addField(GRAPH_INITIALIZER, field(keptInitializers))
            .addField(
                GRAPH_INPUT,
                field(
                    List.of(
                        withDims(
                            messages(graph, GRAPH_INPUT).get(0),
                            null,
                            height > 0 ? "=" + height : "height",
                            width > 0 ? "=" + width : "width",
                            null))))
            .clearField(GRAPH_VALUE_INFO); // intermediate shapes of the 256 input; re-inferred
    List<UnknownFieldSet> outputs = new ArrayList<>();
    for (UnknownFieldSet o : messages(graph, GRAPH_OUTPUT)) {
      outputs.add(withDims(o, null, "anchors" + outputs.size(), null));
    }
    g.addField(GRAPH_OUTPUT, field(outputs));
    return withGraph(model, g.build());
  }

  private static UnknownFieldSet int64Tensor(String name, long... values) {
    ByteBuffer raw =
        ByteBuffer.allocate(values.length * Long.BYTES)
            .order(ByteOrder.LITTLE_ENDIAN); // ONNX raw_data is little-endian
    for (long v : values) {
      raw.putLong(v);
    }
    return UnknownFieldSet.newBuilder()
        .addField(TENSOR_DIMS, Field.newBuilder().addVarint(values.length).build())
        .addField(TENSOR_DATA_TYPE, Field.newBuilder().addVarint(INT64).build())
        .addField(TENSOR_NAME, strings(name))
        .addField(
            TENSOR_RAW_DATA,
            Field.newBuilder().addLengthDelimited(ByteString.copyFrom(raw.array())).build())
        .build();
  }

  /** The values of an INT64 TensorProto, stored as raw_data or as (packed or not) int64_data. */
  private static long[] int64s(UnknownFieldSet tensor) throws IOException {
    require(
        tensor.getField(TENSOR_DATA_TYPE).getVarintList().equals(List.of((long) INT64)),
        "an INT64 tensor");
    List<ByteString> raw = tensor.getField(TENSOR_RAW_DATA).getLengthDelimitedList();
    if (!raw.isEmpty()) {
      ByteBuffer b = raw.get(0).asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
      long[] out = new long[b.remaining() / Long.BYTES];
      b.asLongBuffer().get(out);
      return out;
    }
    List<Long> values = new ArrayList<>(tensor.getField(TENSOR_INT64_DATA).getVarintList());
    for (ByteString packed : tensor.getField(TENSOR_INT64_DATA).getLengthDelimitedList()) {
      CodedInputStream in = packed.newCodedInput();
      while (!in.isAtEnd()) {
        values.add(in.readInt64());
      }
    }
    return values.stream().mapToLong(Long::longValue).toArray();
  }

  private static long attributeInt(UnknownFieldSet node, String name) throws IOException {
    for (UnknownFieldSet a : messages(node, NODE_ATTRIBUTE)) {
      if (string(a, ATTRIBUTE_NAME).equals(name)) {
        return a.getField(ATTRIBUTE_I).getVarintList().get(0);
      }
    }
    throw new IllegalStateException("BlazeFace graph: attribute " + name + " missing");
  }

  private static int index(Map<String, Integer> initializerIndex, String name) {
    Integer i = initializerIndex.get(name);
    require(i != null, "initializer " + name);
    return i;
  }

  private static void require(boolean ok, String what) {
    if (!ok) {
      throw new IllegalStateException(
          "not the expected BlazeFace back-camera graph: expected " + what);
    }
  }
}
