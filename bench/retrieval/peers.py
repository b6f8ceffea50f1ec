"""The peers of bench/retrieval on the same raw float32 files: FAISS on OMP_NUM_THREADS threads
(the caller sets it to the thread count it claims; 1 when unset), hnswlib on one.

  peers.py flat BASE QUERIES DIM K IDS_OUT REPEAT
      FAISS IndexFlatIP (exact) and IndexScalarQuantizer QT_8bit (per-dimension int8); writes
      IndexFlatIP's top-k ids (int32, queries x k) to IDS_OUT.
  peers.py hnsw-build BASE DIM M EF_CONSTRUCTION INDEX_OUT [THREADS]
      builds an hnswlib index (inner product) on THREADS threads (default 1) and saves it.
  peers.py hnsw-search INDEX DIM N QUERIES K EF TRUTH_IDS REPEAT
      loads it and times single-query searches at one efSearch (so the caller can interleave
      its own passes with these on a shared machine).

Each prints one JSON object. Timings are the fastest of REPEAT passes."""
import json
import os
import sys
import time

os.environ.setdefault('OMP_NUM_THREADS', '1')
import numpy as np  # noqa: E402


def timed(search, queries, repeat):
    """Every query alone (p50/p99 of the call), after a warm-up of 50."""
    nq = len(queries)
    for i in range(min(50, nq)):
        search(queries[i:i + 1])
    best = None
    for _ in range(repeat):
        latencies = np.empty(nq)
        start = time.perf_counter()
        for i in range(nq):
            t = time.perf_counter()
            search(queries[i:i + 1])
            latencies[i] = time.perf_counter() - t
        seconds = time.perf_counter() - start
        if best is None or nq / seconds > best['qps']:
            best = {'qps': nq / seconds, 'p50ms': float(np.percentile(latencies, 50) * 1e3), 'p99ms': float(np.percentile(latencies, 99) * 1e3)}
    return best


def batched(search, queries, repeat):
    search(queries[:50])
    best, ids = 0.0, None
    for _ in range(repeat):
        start = time.perf_counter()
        ids = search(queries)
        best = max(best, len(queries) / (time.perf_counter() - start))
    return {'qps': best}, ids


def recall(ids, truth, k):
    return float(np.mean([len(set(ids[i]) & set(truth[i])) / k for i in range(len(truth))]))


def flat(base_path, queries_path, dim, k, ids_out, repeat):
    import faiss
    threads = int(os.environ['OMP_NUM_THREADS'])
    faiss.omp_set_num_threads(threads)
    dim, k, repeat = int(dim), int(k), int(repeat)
    base = np.fromfile(base_path, dtype='<f4').reshape(-1, dim)
    queries = np.fromfile(queries_path, dtype='<f4').reshape(-1, dim)
    out = {'version': faiss.__version__, 'threads': faiss.omp_get_max_threads()}
    start = time.perf_counter()
    index = faiss.IndexFlatIP(dim)
    index.add(base)
    build = time.perf_counter() - start
    single = timed(lambda q: index.search(q, k), queries, repeat)
    batch, truth = batched(lambda q: index.search(q, k)[1], queries, repeat)
    truth.astype('<i4').tofile(ids_out)
    out['flat'] = {'single': single, 'batch': batch, 'recallAtK': 1.0, 'buildSeconds': build, 'bytes': int(base.nbytes)}
    start = time.perf_counter()
    sq = faiss.IndexScalarQuantizer(dim, faiss.ScalarQuantizer.QT_8bit, faiss.METRIC_INNER_PRODUCT)
    sq.train(base)
    sq.add(base)
    build = time.perf_counter() - start
    single = timed(lambda q: sq.search(q, k), queries, repeat)
    batch, ids = batched(lambda q: sq.search(q, k)[1], queries, repeat)
    out['sq8'] = {'single': single, 'batch': batch, 'recallAtK': recall(ids, truth, k), 'buildSeconds': build, 'bytes': int(sq.sa_code_size() * len(base))}
    return out


def hnsw_build(base_path, dim, m_links, ef_construction, index_out, threads='1'):
    import hnswlib
    dim, threads = int(dim), int(threads)
    base = np.fromfile(base_path, dtype='<f4').reshape(-1, dim)
    index = hnswlib.Index(space='ip', dim=dim)
    index.set_num_threads(threads)
    start = time.perf_counter()
    index.init_index(max_elements=len(base), M=int(m_links), ef_construction=int(ef_construction), random_seed=100)
    index.add_items(base, num_threads=threads)
    build = time.perf_counter() - start
    index.save_index(index_out)
    return {'version': getattr(hnswlib, '__version__', 'debian'), 'buildSeconds': build, 'threads': threads, 'M': int(m_links), 'efConstruction': int(ef_construction)}


def hnsw_search(index_path, dim, n, queries_path, k, ef, truth_path, repeat):
    import hnswlib
    dim, n, k, ef, repeat = int(dim), int(n), int(k), int(ef), int(repeat)
    queries = np.fromfile(queries_path, dtype='<f4').reshape(-1, dim)
    truth = np.fromfile(truth_path, dtype='<i4').reshape(-1, k)
    index = hnswlib.Index(space='ip', dim=dim)
    index.load_index(index_path, max_elements=n)
    index.set_num_threads(1)
    index.set_ef(max(ef, k))
    single = timed(lambda q: index.knn_query(q, k, num_threads=1), queries, repeat)
    ids = index.knn_query(queries, k, num_threads=1)[0]
    return {'efSearch': ef, 'single': single, 'recallAtK': recall(ids, truth, k)}


modes = {'flat': flat, 'hnsw-build': hnsw_build, 'hnsw-search': hnsw_search}
print(json.dumps(modes[sys.argv[1]](*sys.argv[2:])))
