import { Graph, layout } from '@dagrejs/dagre';
import type { EdgeLabel, GraphLabel, NodeLabel } from '@dagrejs/dagre';
import type { GraphEdge, GraphNode, ServiceGraphAnswer } from '../../api/native-api';

export interface PlacedNode {
  node: GraphNode;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface PlacedEdge {
  edge: GraphEdge;
  points: { x: number; y: number }[];
  labelX: number;
  labelY: number;
}

export interface GraphLayout {
  nodes: PlacedNode[];
  edges: PlacedEdge[];
  width: number;
  height: number;
}

const NODE_HEIGHT = 54;
const LABEL = { width: 150, height: 34 };

/**
 * Places the service graph left to right with dagre (callers left of callees). A node's width
 * grows with the log of its request rate, so busy services stand out without dwarfing the rest.
 */
export function layoutGraph(graph: ServiceGraphAnswer): GraphLayout {
  const g = new Graph<GraphLabel, NodeLabel, EdgeLabel>({ multigraph: false });
  g.setGraph({ rankdir: 'LR', nodesep: 50, ranksep: 90, edgesep: 30, marginx: 20, marginy: 20 });
  g.setDefaultEdgeLabel(() => ({}));
  const maxRate = Math.max(1e-9, ...graph.nodes.map((n) => n.rate));
  for (const node of graph.nodes) {
    const width = 150 + 70 * (Math.log1p(node.rate) / Math.log1p(maxRate) || 0);
    g.setNode(node.service, { width: Math.max(width, 9 * node.service.length + 30), height: NODE_HEIGHT });
  }
  for (const edge of graph.edges) {
    if (!g.hasNode(edge.client)) g.setNode(edge.client, { width: 160, height: NODE_HEIGHT });
    if (!g.hasNode(edge.server)) g.setNode(edge.server, { width: 160, height: NODE_HEIGHT });
    g.setEdge(edge.client, edge.server, { ...LABEL, labelpos: 'c' });
  }
  layout(g);
  const byName = new Map(graph.nodes.map((n) => [n.service, n]));
  const nodes = g.nodes().map((name): PlacedNode => {
    const label = g.node(name);
    const node = byName.get(name) ?? {
      service: name,
      requestCount: 0,
      errorCount: 0,
      rate: 0,
      errorRatio: 0,
    };
    return { node, x: label.x ?? 0, y: label.y ?? 0, width: label.width, height: label.height };
  });
  const edges = graph.edges.map((edge): PlacedEdge => {
    const label = g.edge(edge.client, edge.server);
    return { edge, points: label.points ?? [], labelX: label.x ?? 0, labelY: label.y ?? 0 };
  });
  const size = g.graph();
  return { nodes, edges, width: size.width ?? 0, height: size.height ?? 0 };
}
