// JavaScript for the Neovim editor test (copied into the workspace then): `ship` takes `stock`
// then `billing` with acquire() and a release in `finally`, `bill` takes them the other way
// round: one LO101, on line 26 (`await stock.acquire()` in `bill`).
const { Mutex } = require('async-mutex');

const stock = new Mutex();
const billing = new Mutex();

async function ship() {
  const releaseStock = await stock.acquire();
  try {
    const releaseBilling = await billing.acquire();
    try {
      console.log('ship');
    } finally {
      releaseBilling();
    }
  } finally {
    releaseStock();
  }
}

async function bill() {
  const releaseBilling = await billing.acquire();
  try {
    const releaseStock = await stock.acquire();
    try {
      console.log('bill');
    } finally {
      releaseStock();
    }
  } finally {
    releaseBilling();
  }
}

module.exports = { ship, bill };
