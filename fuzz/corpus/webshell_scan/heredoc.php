<?php $f = <<<EOT
assert
EOT;
$g = <<<"X"
  a
  X;
$h = <<<'N'
unterminated
$f($_POST[1]);