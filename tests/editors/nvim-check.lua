-- Starts policyscan's language server for the current buffer, waits for
-- its diagnostics and writes them to the file named by $OUT, one a line:
-- `LINE:COL-ENDLINE:ENDCOL SEVERITY CODE MESSAGE`, lines and columns
-- 1-based and counted in characters, as `policyscan scan` counts them;
-- then the first line of the hover over the stance hint's words.
-- $POLICYSCAN names the binary (default: `policyscan` on the PATH).
-- Works with Neovim 0.5 and later (vim.lsp.start_client).
local client = vim.lsp.start_client({
  name = "policyscan",
  cmd = { vim.env.POLICYSCAN or "policyscan", "server" },
  root_dir = vim.fn.getcwd(),
})
vim.lsp.buf_attach_client(0, client)
local got = vim.wait(10000, function()
  return #vim.diagnostic.get(0) > 0
end, 50)
-- Neovim holds byte columns; policyscan reports characters.
local function chars(lnum, col)
  local line = vim.api.nvim_buf_get_lines(0, lnum, lnum + 1, false)[1] or ""
  return vim.str_utfindex(line, math.min(col, #line)) + 1
end
local lines = {}
for _, d in ipairs(vim.diagnostic.get(0)) do
  table.insert(lines, string.format("%d:%d-%d:%d %s %s %s", d.lnum + 1, chars(d.lnum, d.col),
    d.end_lnum + 1, chars(d.end_lnum, d.end_col), d.severity, d.code or "",
    (d.message:gsub("\n", " | "))))
end
if not got then table.insert(lines, "no diagnostics") end
-- Hover over the stance hint's words (the strongest cue): the first line
-- of what the server says, as `hover LINE:COL TEXT`.
for _, d in ipairs(vim.diagnostic.get(0)) do
  if d.code == "stance" then
    vim.api.nvim_win_set_cursor(0, { d.lnum + 1, d.col })
    local params = vim.lsp.util.make_position_params(0, "utf-16")
    local answers = vim.lsp.buf_request_sync(0, "textDocument/hover", params, 10000) or {}
    for _, answer in pairs(answers) do
      local value = answer.result and answer.result.contents.value or "null"
      table.insert(lines, string.format("hover %d:%d %s", d.lnum + 1, chars(d.lnum, d.col),
        (value:gsub("\n.*", ""))))
    end
  end
end
vim.fn.writefile(lines, vim.env.OUT)
vim.cmd("qa!")
