"""PyTorch side of bench/training: issue 9's workloads, the same models and steps as Strata's, on the CPU.

  A   Keras MNIST convnet, Adam, categorical cross-entropy, batch 128, one training step
  A-predict  the same convnet (with its softmax) in eval mode under torch.no_grad(): forward over 2,048
      inputs in batches of 256; ms_per_step is per batch of 256
  B   Embedding(20000, 128) -> LSTM(64, dropout .2, recurrent_dropout .2) -> Dense(1, sigmoid), Adam, batch 32 x 80
  B0  the same with recurrent_dropout 0 (fused nn.LSTM)
  C   MLP 784-512-512-10 with Dropout .2, RMSprop, batch 128

recurrent_dropout > 0 runs a Python loop with Keras 3's semantics (implementation 1): one input
mask and one recurrent mask per gate, fixed for the whole sequence.

Usage: python torch_workloads.py --workload B --threads 1 [--steps 10 --warmup 3]
Prints one JSON line: {"ms_per_step": ..., "threads": ..., "torch": ...}
"""
import argparse
import json
import statistics
import time

import torch
from torch import nn

parser = argparse.ArgumentParser()
parser.add_argument("--workload", choices=["A", "A-predict", "B", "B0", "C"], required=True)
parser.add_argument("--threads", type=int, default=1)
parser.add_argument("--steps", type=int, default=10)
parser.add_argument("--warmup", type=int, default=3)
args = parser.parse_args()
torch.set_num_threads(args.threads)
torch.manual_seed(0)
UNITS, EMBED, VOCAB, TIMESTEPS = 64, 128, 20000, 80
PREDICT_SAMPLES, PREDICT_BATCH = 2048, 256


class VariationalLSTM(nn.Module):
    """An LSTM layer with per-gate input and recurrent dropout masks, as Keras 3 (implementation 1)."""

    def __init__(self, dropout, recurrent_dropout):
        super().__init__()
        self.keep_in, self.keep_rec = 1 - dropout, 1 - recurrent_dropout
        self.kernel = nn.Parameter(torch.empty(EMBED, 4 * UNITS))
        self.recurrent = nn.Parameter(torch.empty(UNITS, 4 * UNITS))
        self.bias = nn.Parameter(torch.zeros(4 * UNITS))
        nn.init.xavier_uniform_(self.kernel)
        nn.init.orthogonal_(self.recurrent)

    def forward(self, x):
        batch, steps, _ = x.shape
        in_masks = [torch.bernoulli(torch.full((batch, EMBED), self.keep_in)) / self.keep_in for _ in range(4)]
        rec_masks = [torch.bernoulli(torch.full((batch, UNITS), self.keep_rec)) / self.keep_rec for _ in range(4)]
        kernels = self.kernel.split(UNITS, dim=1)
        recurrents = self.recurrent.split(UNITS, dim=1)
        biases = self.bias.split(UNITS)
        h = x.new_zeros(batch, UNITS)
        c = x.new_zeros(batch, UNITS)
        for t in range(steps):
            xt = x[:, t]
            z = [(xt * in_masks[g]) @ kernels[g] + (h * rec_masks[g]) @ recurrents[g] + biases[g] for g in range(4)]
            i, f, o = torch.sigmoid(z[0]), torch.sigmoid(z[1]), torch.sigmoid(z[3])
            c = f * c + i * torch.tanh(z[2])
            h = o * torch.tanh(c)
        return h


class FusedLSTM(nn.Module):
    """recurrent_dropout 0: input dropout (one mask per sequence) then the fused nn.LSTM."""

    def __init__(self, dropout):
        super().__init__()
        self.keep = 1 - dropout
        self.lstm = nn.LSTM(EMBED, UNITS, batch_first=True)

    def forward(self, x):
        mask = torch.bernoulli(torch.full((x.shape[0], 1, EMBED), self.keep)) / self.keep
        out, _ = self.lstm(x * mask)
        return out[:, -1]


def workload(name):
    """(model, optimizer, loss, x, y) for one workload."""
    if name in ("B", "B0"):
        lstm = VariationalLSTM(0.2, 0.2) if name == "B" else FusedLSTM(0.2)
        model = nn.Sequential(nn.Embedding(VOCAB, EMBED), lstm, nn.Linear(UNITS, 1), nn.Sigmoid())
        x = torch.randint(0, VOCAB, (32, TIMESTEPS))
        y = torch.randint(0, 2, (32, 1)).float()
        return model, torch.optim.Adam(model.parameters(), lr=1e-3), nn.BCELoss(), x, y
    labels = torch.randint(0, 10, (128,))
    if name in ("A", "A-predict"):
        model = nn.Sequential(
            nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(), nn.Dropout(0.5), nn.Linear(1600, 10),
        )
        if name == "A-predict":
            # predict returns probabilities, as Keras's (and Strata's) softmax output layer does.
            model.append(nn.Softmax(dim=1))
            return model, None, None, torch.rand(PREDICT_SAMPLES, 1, 28, 28), None
        x = torch.rand(128, 1, 28, 28)
        return model, torch.optim.Adam(model.parameters(), lr=1e-3), nn.CrossEntropyLoss(), x, labels
    model = nn.Sequential(
        nn.Linear(784, 512), nn.ReLU(), nn.Dropout(0.2),
        nn.Linear(512, 512), nn.ReLU(), nn.Dropout(0.2),
        nn.Linear(512, 10),
    )
    x = torch.rand(128, 784)
    return model, torch.optim.RMSprop(model.parameters(), lr=1e-3, alpha=0.9, eps=1e-7), nn.CrossEntropyLoss(), x, labels


model, optimizer, loss_fn, x, y = workload(args.workload)
PREDICT = args.workload == "A-predict"
model.eval() if PREDICT else model.train()
# A-predict: one timed call runs every batch; it is reported per batch.
PER_CALL = PREDICT_SAMPLES // PREDICT_BATCH if PREDICT else 1


def step():
    if PREDICT:
        with torch.no_grad():
            for start in range(0, PREDICT_SAMPLES, PREDICT_BATCH):
                model(x[start : start + PREDICT_BATCH])
        return
    optimizer.zero_grad()
    loss = loss_fn(model(x), y)
    loss.backward()
    optimizer.step()


for _ in range(args.warmup):
    step()
times = []
for _ in range(args.steps):
    start = time.perf_counter()
    step()
    times.append((time.perf_counter() - start) * 1000 / PER_CALL)
print(json.dumps({"ms_per_step": statistics.median(times), "threads": args.threads, "torch": torch.__version__}))
