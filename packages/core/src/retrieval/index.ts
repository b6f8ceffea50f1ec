// Retrievers over the vector indexes: dense top-k with filters, hybrid (dense + BM25 terms with a
// weight), and reranking of a larger candidate pool (exact float64, or an ONNX scorer).
export { DenseRetriever, type RetrieveOptions } from './dense-retriever.js';
export { HybridRetriever, metadataText, type HybridOptions, type HybridQuery } from './hybrid-retriever.js';
export { ExactReranker, OnnxReranker, RerankingRetriever, type OnnxRerankerOptions, type Reranker, type VectorSource } from './reranker.js';
export type { RetrievalHit } from './retrieval-hit.js';
export { TermIndex, tokenize } from './term-index.js';
