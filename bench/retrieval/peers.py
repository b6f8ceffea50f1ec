"""The peers of bench/retrieval on the same raw float32 files, one thread each:
FAISS IndexFlatIP (exact), IndexScalarQuantizer QT_8bit (per-dimension int8), and hnswlib.
Usage: /usr/bin/python3 peers.py BASE QUERIES DIM K M EF_CONSTRUCTION EF1,EF2,... IDS_OUT
Prints one JSON object; writes FAISS IndexFlatIP's top-k ids (int32, queries x k) to IDS_OUT."""
import json
import os
import sys
import time

os.environ.setdefault('OMP_NUM_THREADS', '1')
import numpy as np  # noqa: E402
import faiss  # noqa: E402
import hnswlib  # noqa: E402

faiss.omp_set_num_threads(1)
base_path, queries_path, dim, k, m_links, ef_construction, ef_list, ids_out = sys.argv[1:9]
dim, k, m_links, ef_construction = int(dim), int(k), int(m_links), int(ef_construction)
efs = [int(e) for e in ef_list.split(',')]
base = np.fromfile(base_path, dtype='<f4').reshape(-1, dim)
queries = np.fromfile(queries_path, dtype='<f4').reshape(-1, dim)
n, nq = len(base), len(queries)


def timed(search):
    """Every query alone (p50/p99 of the call), after a warm-up of 50."""
    for i in range(min(50, nq)):
        search(queries[i:i + 1])
    latencies = np.empty(nq)
    start = time.perf_counter()
    for i in range(nq):
        t = time.perf_counter()
        search(queries[i:i + 1])
        latencies[i] = time.perf_counter() - t
    seconds = time.perf_counter() - start
    return {'qps': nq / seconds, 'p50ms': float(np.percentile(latencies, 50) * 1e3), 'p99ms': float(np.percentile(latencies, 99) * 1e3)}


def batch(search):
    search(queries[:50])
    start = time.perf_counter()
    ids = search(queries)
    return {'qps': nq / (time.perf_counter() - start)}, ids


def recall(ids, truth):
    return float(np.mean([len(set(ids[i]) & set(truth[i])) / k for i in range(nq)]))


out = {'faiss': {'version': faiss.__version__}, 'hnswlib': {'version': getattr(hnswlib, '__version__', 'debian')}, 'numpy': np.__version__}

start = time.perf_counter()
flat = faiss.IndexFlatIP(dim)
flat.add(base)
build = time.perf_counter() - start
single = timed(lambda q: flat.search(q, k))
batched, truth = batch(lambda q: flat.search(q, k)[1])
truth.astype('<i4').tofile(ids_out)
out['faiss']['flat'] = {'single': single, 'batch': batched, 'recallAtK': 1.0, 'buildSeconds': build, 'bytes': int(base.nbytes)}

start = time.perf_counter()
sq = faiss.IndexScalarQuantizer(dim, faiss.ScalarQuantizer.QT_8bit, faiss.METRIC_INNER_PRODUCT)
sq.train(base)
sq.add(base)
build = time.perf_counter() - start
single = timed(lambda q: sq.search(q, k))
batched, ids = batch(lambda q: sq.search(q, k)[1])
out['faiss']['sq8'] = {'single': single, 'batch': batched, 'recallAtK': recall(ids, truth), 'buildSeconds': build, 'bytes': int(sq.sa_code_size() * n)}

index = hnswlib.Index(space='ip', dim=dim)
index.set_num_threads(1)
start = time.perf_counter()
index.init_index(max_elements=n, M=m_links, ef_construction=ef_construction, random_seed=100)
index.add_items(base, num_threads=1)
build = time.perf_counter() - start
sweep = []
for ef in efs:
    index.set_ef(max(ef, k))
    single = timed(lambda q: index.knn_query(q, k, num_threads=1))
    batched, ids = batch(lambda q: index.knn_query(q, k, num_threads=1)[0])
    sweep.append({'efSearch': ef, 'single': single, 'batch': batched, 'recallAtK': recall(ids, truth)})
out['hnswlib'] = {**out['hnswlib'], 'M': m_links, 'efConstruction': ef_construction, 'buildSeconds': build, 'sweep': sweep}
print(json.dumps(out))
