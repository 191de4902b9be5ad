-- Headless Neovim (0.7+) driver for test/e2e/neovim.e2e.mjs: starts the bundled language server
-- over stdio with vim.lsp.start_client, opens the fixture files, waits for their diagnostics,
-- applies the LO101 merge fix through textDocument/codeAction, and writes everything it saw to
-- the JSON file named by LO_OUT. Inputs (environment): LO_NODE, LO_SERVER, LO_WORKSPACE, LO_OUT, and
-- LO_FILES (the workspace files to open, comma-separated; default: the three Python files).

local node = os.getenv('LO_NODE')
local server = os.getenv('LO_SERVER')
local workspace = os.getenv('LO_WORKSPACE')
local out_path = os.getenv('LO_OUT')
local timeout_ms = 15000

local out = { files = {}, log = {} }
local published = {} -- uri -> list of raw LSP diagnostic lists, in arrival order

local function log(msg) table.insert(out.log, msg) end

-- The diagnostics Neovim shows for a buffer, in a plain form (code from 0.8's field or 0.7's user_data).
local function shown(bufnr)
  local list = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    local lsp = d.user_data and d.user_data.lsp or {}
    table.insert(list, {
      lnum = d.lnum, col = d.col, severity = d.severity, message = d.message, source = d.source,
      code = d.code or lsp.code,
      related = lsp.relatedInformation and #lsp.relatedInformation or 0,
    })
  end
  return list
end

-- Wait until the server has published diagnostics for `uri` more than `seen` times.
local function wait_publish(uri, seen)
  return vim.wait(timeout_ms, function() return #(published[uri] or {}) > seen end, 20)
end

local function run()
  local client_id = vim.lsp.start_client({
    name = 'lockorder',
    cmd = { node, server, '--stdio' },
    root_dir = workspace,
    workspace_folders = { { uri = vim.uri_from_fname(workspace), name = 'workspace' } },
    settings = { lockorder = {} },
    flags = { debounce_text_changes = 50 },
    handlers = {
      ['textDocument/publishDiagnostics'] = function(err, result, ctx, config)
        published[result.uri] = published[result.uri] or {}
        table.insert(published[result.uri], result.diagnostics)
        return vim.lsp.diagnostic.on_publish_diagnostics(err, result, ctx, config)
      end,
    },
    on_exit = function(code) log('server exited with code ' .. tostring(code)) end,
  })
  assert(client_id, 'vim.lsp.start_client returned nil')

  local bufs = {}
  for _, name in ipairs(vim.split(os.getenv('LO_FILES') or 'bank.py,counter.py,pipeline.py', ',', { plain = true })) do
    vim.cmd('edit ' .. vim.fn.fnameescape(workspace .. '/' .. name))
    local bufnr = vim.api.nvim_get_current_buf()
    vim.lsp.buf_attach_client(bufnr, client_id)
    bufs[name] = bufnr
  end
  for name, bufnr in pairs(bufs) do
    local uri = vim.uri_from_bufnr(bufnr)
    if not wait_publish(uri, 0) then log('no diagnostics published for ' .. name) end
    out.files[name] = shown(bufnr)
  end

  -- The LO101 quick fix on bank.py, asked for as an editor does (the diagnostic in the context).
  local bufnr = bufs['bank.py']
  local uri = vim.uri_from_bufnr(bufnr)
  local raw = published[uri][#published[uri]]
  local target
  for _, d in ipairs(raw) do if d.code == 'LO101' then target = d end end
  if not target then log('no LO101 among the published diagnostics of bank.py'); return end
  local params = {
    textDocument = { uri = uri },
    range = target.range,
    context = { diagnostics = { target }, only = { 'quickfix' } },
  }
  local responses = vim.lsp.buf_request_sync(bufnr, 'textDocument/codeAction', params, timeout_ms) or {}
  local actions = {}
  for _, response in pairs(responses) do
    if response.error then log('codeAction error: ' .. vim.inspect(response.error)) end
    for _, action in ipairs(response.result or {}) do table.insert(actions, action) end
  end
  out.actions = vim.tbl_map(function(a) return a.title end, actions)
  local merge
  for _, a in ipairs(actions) do if a.title:find('acquire(', 1, true) then merge = a end end
  if not merge then log('no merge fix offered'); return end

  local seen = #published[uri]
  vim.lsp.util.apply_workspace_edit(merge.edit, 'utf-16')
  if not wait_publish(uri, seen) then log('no diagnostics published after the edit') end
  out.after = {
    text = table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), '\n'),
    diagnostics = shown(bufnr),
    modified = vim.api.nvim_buf_get_option(bufnr, 'modified'),
  }
end

local ok, err = pcall(run)
if not ok then out.error = tostring(err) end
local file = assert(io.open(out_path, 'w'))
file:write(vim.fn.json_encode(out))
file:close()
vim.cmd('qall!')
