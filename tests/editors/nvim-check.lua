-- Starts policyscan's language server for the current buffer, waits for
-- its diagnostics and writes them to the file named by $OUT.
local client = vim.lsp.start_client({
  name = "policyscan",
  cmd = { vim.env.POLICYSCAN or "policyscan", "server" },
  root_dir = vim.fn.getcwd(),
})
vim.lsp.buf_attach_client(0, client)
local got = vim.wait(10000, function()
  return #vim.diagnostic.get(0) > 0
end, 50)
local lines = {}
for _, d in ipairs(vim.diagnostic.get(0)) do
  table.insert(lines, string.format("%d:%d-%d:%d %s %s %s", d.lnum + 1, d.col + 1,
    d.end_lnum + 1, d.end_col + 1, d.severity, d.code or "", d.message:gsub("\n", " | ")))
end
if not got then table.insert(lines, "no diagnostics") end
vim.fn.writefile(lines, vim.env.OUT)
vim.cmd("qa!")
