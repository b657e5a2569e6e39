"""PyTorch side of bench/recurrent: the same model and step as Strata's, timed on the CPU.

Embedding(vocab, 128) -> LSTM(64, dropout, recurrent_dropout) -> Dense(1, sigmoid), Adam,
binary cross-entropy, one training step per batch. recurrent_dropout 0 uses the fused nn.LSTM;
recurrent_dropout > 0 runs a Python loop with Keras 3's semantics (implementation 1): one input
mask and one recurrent mask per gate, fixed for the whole sequence.

Usage: python torch_lstm.py --threads 1 --recurrent-dropout 0.2 [--steps 10 --warmup 3]
Prints one JSON line: {"ms_per_step": ..., "threads": ..., "torch": ...}
"""
import argparse
import json
import statistics
import time

import torch
from torch import nn

parser = argparse.ArgumentParser()
parser.add_argument("--threads", type=int, default=1)
parser.add_argument("--recurrent-dropout", type=float, default=0.2)
parser.add_argument("--dropout", type=float, default=0.2)
parser.add_argument("--steps", type=int, default=10)
parser.add_argument("--warmup", type=int, default=3)
parser.add_argument("--vocab", type=int, default=20000)
parser.add_argument("--timesteps", type=int, default=80)
parser.add_argument("--batch", type=int, default=32)
args = parser.parse_args()
torch.set_num_threads(args.threads)
torch.manual_seed(0)
UNITS, EMBED = 64, 128


class VariationalLSTM(nn.Module):
    """An LSTM layer with per-gate input and recurrent dropout masks, as Keras 3 (implementation 1)."""

    def __init__(self):
        super().__init__()
        self.kernel = nn.Parameter(torch.empty(EMBED, 4 * UNITS))
        self.recurrent = nn.Parameter(torch.empty(UNITS, 4 * UNITS))
        self.bias = nn.Parameter(torch.zeros(4 * UNITS))
        nn.init.xavier_uniform_(self.kernel)
        nn.init.orthogonal_(self.recurrent)

    def forward(self, x):
        batch, steps, _ = x.shape
        keep_in, keep_rec = 1 - args.dropout, 1 - args.recurrent_dropout
        in_masks = [torch.bernoulli(torch.full((batch, EMBED), keep_in)) / keep_in for _ in range(4)]
        rec_masks = [torch.bernoulli(torch.full((batch, UNITS), keep_rec)) / keep_rec for _ in range(4)]
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
    """recurrent_dropout 0: input dropout (one mask per sequence) then cuDNN-style nn.LSTM."""

    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(EMBED, UNITS, batch_first=True)

    def forward(self, x):
        keep = 1 - args.dropout
        mask = torch.bernoulli(torch.full((x.shape[0], 1, EMBED), keep)) / keep
        out, _ = self.lstm(x * mask)
        return out[:, -1]


model = nn.Sequential(
    nn.Embedding(args.vocab, EMBED),
    VariationalLSTM() if args.recurrent_dropout > 0 else FusedLSTM(),
    nn.Linear(UNITS, 1),
    nn.Sigmoid(),
)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = nn.BCELoss()
x = torch.randint(0, args.vocab, (args.batch, args.timesteps))
y = torch.randint(0, 2, (args.batch, 1)).float()


def step():
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
    times.append((time.perf_counter() - start) * 1000)
print(json.dumps({"ms_per_step": statistics.median(times), "threads": args.threads, "torch": torch.__version__}))
